#pragma once
// The terminal's records on the wire. sync/protocol owns the wire types and their JSON and
// knows no store; the client, which reads the store, maps its records to them here.
#include <nlohmann/json.hpp>

#include "protocol/protocol.hpp"
#include "store/store.hpp"

namespace hn::sync {

// The sale as the terminal recorded it, in the protocol's terms: the invoice number as its
// digits, the date as YYYY-MM-DD, no county when no reader gave one.
WireSale to_wire(const store::SaleRecord& sale);
// And as it goes up (PROTOCOL.md "POST /api/v1/sales").
inline nlohmann::json sale_to_wire(const store::SaleRecord& sale) { return sale_to_wire(to_wire(sale)); }

}  // namespace hn::sync
