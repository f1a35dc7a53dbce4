#!/usr/bin/env python3
"""Writes the hand-made seed inputs of the fuzz targets into tests/fuzz/corpus/<target>/.

The real-looking seeds: demo assets, policy files, ID numbers and items from the README,
frames and ESC/POS streams built by the byte rules of hardware/idcard/frame.hpp and
hardware/printer/escpos.hpp, answers and bodies from sync/PROTOCOL.md. Run from anywhere;
existing files of the same name are overwritten, others (fuzzer finds) are kept.
"""
import json
import os
import struct

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", "..", ".."))
corpus = os.path.join(root, "tests", "fuzz", "corpus")


def put(target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def read(path):
    with open(os.path.join(root, path), "rb") as f:
        return f.read()


# fuzz_id_number
for name, text in [("18", "341322198001011239"), ("18-x", "11010519491231002x"),
                   ("15", "340822800101001"), ("bad-check", "341322198001011238"),
                   ("bad-date", "341322198002301239"), ("bad-region", "991322198001011239"),
                   ("invoice", "340822198001010013"), ("short", "3413")]:
    put("id_number", name, text)

# fuzz_sale_input
put("sale_input", "item", "34080100000000010001=1999.00")
put("sale_input", "item-serial", "34080100000000010001:TLM26V68-0811A00017=1999")
put("sale_input", "item-decimal", "34080200000000020001:BCD186KB-0811Q04410=1799.5")
put("sale_input", "amount", "99999999.99")
put("sale_input", "argv", b"sale\0--user\0clerk\0--buyer-id=341322198001011239\0--item\0"
                          b"34080100000000010001=1999.00\0--item=34080100000000010002:S-1=0.01\0--json")

# fuzz_csv_import
put("csv_import", "catalog.csv", read("assets/demo/catalog.csv"))
put("csv_import", "cards.csv", read("assets/demo/cards.csv")[:400])
put("csv_import", "quoted-crlf.csv",
    "\ufeffmodel_code,category,brand,name,spec,max_price,valid_from,valid_to\r\n"
    "SKYWORTH-21TI9000,tv,创维,纯平彩电,\"21英寸 CRT, \"\"纯平\"\"\",799.00,2008-12-01,2009-11-30\r\n")
put("csv_import", "cards-quoted.csv",
    "card_no,serial_no,model_code\n\"34080100000000010001\",TLM26V68-0811A00017,HISENSE-TLM26V68\n"
    "34080200000000020001, BCD186KB-0811Q04410 ,HAIER-BCD-186KB\n")

# fuzz_text_check: the first byte picks the text kind (0 person name, 3 brand, 4 product name,
# 5 spec, 8 reason, 9 setting value), the rest is the text.
for name, data in [("name", b"\x00" + "王秀英".encode()),
                   ("minority-name", b"\x00" + "阿依古丽·买买提".encode()),
                   ("brand-esc-p", b"\x03" + "海信".encode() + b"\x1bp\x00\x19"),
                   ("spec-crlf", b"\x05" + "26英寸\r\n合计 Total: 0.00".encode()),
                   ("name-rlo", b"\x04" + "液晶\u202e电彩".encode()),
                   ("gbk", b"\x00\xc4\xe3\xba\xc3"),
                   ("nul", b"\x00a\x00b"),
                   ("c1-nel", b"\x08" + "退货\u0085原因".encode()),
                   ("reason-long", b"\x08" + ("理由" * 260).encode()),
                   ("setting-path", b"\x09/var/lib/huinong/invoices"),
                   ("overlong", b"\x00\xc0\xaf\xe0\x80\xaf\xed\xa0\x80")]:
    put("text_check", name, data)

# fuzz_policy_file
for name in sorted(os.listdir(os.path.join(root, "assets", "policy"))):
    if name.endswith(".ini"):
        put("policy_file", name, read(os.path.join("assets", "policy", name)))


# fuzz_idcard_frame: the first byte is the target's delivery control (piece size, quiet gaps).
def frame(body):
    n = len(body) + 1
    length = bytes([n >> 8, n & 0xFF])
    chk = 0
    for b in length + body:
        chk ^= b
    return bytes([0xAA, 0xAA, 0xAA, 0x96, 0x69]) + length + body + bytes([chk])


def field(text, width):
    b = text.encode("utf-16-le")
    return b + " ".encode("utf-16-le") * ((width - len(b)) // 2)


text_block = (field("王秀英", 30) + field("2", 2) + field("01", 4) + field("19800101", 16) +
              field("安徽省怀宁县石牌镇人民路1号", 70) + field("340822198001010013", 36) +
              field("怀宁县公安局", 30) + field("20060101", 16) + field("20260101", 16) +
              field("", 36))
assert len(text_block) == 256
photo = bytes(range(256)) * 4
read_answer = frame(bytes([0, 0, 0x90]) + struct.pack(">HH", 256, 1024) + text_block + photo)
put("idcard_frame", "find-found", bytes([0x0F]) + frame(bytes([0, 0, 0x9F, 0, 0, 0, 0])))
put("idcard_frame", "select", bytes([0x03]) + frame(bytes([0, 0, 0x90, 0, 0, 0, 0, 0, 0, 0, 0])))
put("idcard_frame", "no-card", bytes([0x00]) + frame(bytes([0, 0, 0x80])))
put("idcard_frame", "read", bytes([0x0F]) + read_answer)
put("idcard_frame", "garbage-then-read-in-pieces", bytes([0x07]) + b"\x00\xff\xaa\xaa\x96" + read_answer)
put("idcard_frame", "bad-checksum", bytes([0x0F]) + frame(bytes([0, 0, 0x90]))[:-1] + b"\x00")
put("idcard_frame", "short", bytes([0x12]) + read_answer[:300])
put("idcard_frame", "command", bytes([0x0F]) + frame(bytes([0x30, 0x01])))

# fuzz_escpos_sink
ESC, GS, FS, DLE, LF = b"\x1b", b"\x1d", b"\x1c", b"\x10", b"\n"


def qr(data, module=6, level=49):
    d = data.encode("utf-8")
    n = len(d) + 3
    return (GS + b"(k\x04\x00\x31\x41\x32\x00" + GS + b"(k\x03\x00\x31\x43" + bytes([module]) +
            GS + b"(k\x03\x00\x31\x45" + bytes([level]) +
            GS + b"(k" + bytes([n & 0xFF, n >> 8]) + b"\x31\x50\x30" + d +
            GS + b"(k\x03\x00\x31\x51\x30")


receipt = (ESC + b"@" + FS + b"&" + ESC + b"a\x01" + ESC + b"E\x01" + GS + b"!\x11" +
           "家电下乡 销售发票".encode("gb18030") + LF + GS + b"!\x00" + ESC + b"E\x00" + ESC + b"a\x00" +
           "发票号 00000001".encode("gb18030") + LF +
           "海信 液晶彩电 26英寸 LCD        1999.00".encode("gb18030") + LF +
           "补贴 13%                        259.87".encode("gb18030") + LF + ESC + b"a\x02" +
           "合计 1999.00".encode("gb18030") + LF + ESC + b"a\x01" +
           qr("HN1|00000001|340822001|199900|25987") + ESC + b"d\x03" + GS + b"V\x42\x00" +
           ESC + b"p\x00\x19\xfa" + DLE + b"\x04\x01")
put("escpos_sink", "receipt", receipt)
put("escpos_sink", "ascii", ESC + b"@" + b"Hello counter" + LF + GS + b"V\x42\x00")
put("escpos_sink", "unknown-and-truncated", ESC + b"@" + ESC + b"\x7f" + FS + b"&" + b"\xb9\xfa" + GS + b"(k\x40")

# fuzz_protocol: answer bodies and request bodies; the headers seed is timestamp, nonce and
# signature lines before the body.
sale = {"uuid": "5b0e0d4e-0000-4000-8000-000000000001", "invoice_no": "00000001",
        "sold_at": "2009-01-15T10:32:05", "sale_date": "2009-01-15", "policy_phase": "2008-12",
        "buyer": {"name": "张三", "id_number": "341322198001011239", "household": "3413220012",
                  "hukou": "agricultural", "county": "341322"},
        "total_fen": 199900, "subsidy_fen": 25987,
        "items": [{"card": "34080100000000010001", "serial": "TLM26V68-0811A00017",
                   "model": "HISENSE-TLM26V68", "category": "tv", "price_fen": 199900, "subsidy_fen": 25987}]}
event = {"uuid": "e1", "kind": "return", "sale_uuid": sale["uuid"], "card": "34080100000000010001",
         "at": "2009-01-16T09:00:00", "reason": "质量问题"}
for name, body in [
    ("results", {"results": [{"uuid": "u1", "status": "accepted"},
                             {"uuid": "u2", "status": "rejected", "code": "HOUSEHOLD_LIMIT",
                              "message_zh": "超出每户限购", "message_en": "household limit"}]}),
    ("quota", {"household_held": {"tv": 1, "fridge": 0, "phone": 2}}),
    ("card-state", {"card": "34080100000000010001", "state": "paid"}),
    ("error", {"error": {"code": "SIGNATURE_INVALID", "message_zh": "请求签名不符", "message_en": "bad signature"}}),
    ("sales", {"sales": [sale]}),
    ("events", {"events": [event]}),
    ("updates", {"version": 7, "catalog": [{"model_code": "TCL-L22E9", "category": "tv", "brand": "TCL",
                                            "name": "液晶彩电", "spec": "22英寸", "max_price_fen": 169900,
                                            "valid_from": "2008-12-01", "valid_to": None}],
                 "policies": [], "cards": []}),
]:
    put("protocol", name + ".json", json.dumps(body, ensure_ascii=False))
put("protocol", "headers", "1231986725\nn0nce-1\n" + "0" * 64 + "\n" + json.dumps({"sales": [sale]}))
