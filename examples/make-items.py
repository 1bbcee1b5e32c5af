#!/usr/bin/env python3
"""Regenerates the demo data in examples/items/ (deterministic; the files are committed).

items-1.csv: 2,400 catalogue rows (quoted fields with commas, quotes and line breaks) with 6 bad rows.
items-2.jsonl.gz: 1,200 rows as gzip-compressed JSON Lines with 4 bad rows; 150 of its keys repeat
keys of items-1.csv, so the later row wins and the earlier one counts as skipped.
"""
import csv, gzip, io, json, random

rng = random.Random(20261123)
CATEGORIES = ["books", "garden", "kitchen, dining", "toys", "outdoor \"pro\"", "music"]

def item(i):
    desc = rng.choice(["plain", "with, comma", "with \"quotes\"", "two\nlines"])
    return {"ITEM_ID": f"item-{i:05d}", "CATEGORY": rng.choice(CATEGORIES), "PRICE": round(rng.uniform(1, 500), 2),
            "CREATION_TIMESTAMP": 1700000000 + i * 60, "IN_STOCK": rng.choice([True, False, None]),
            "DESCRIPTION": f"Item {i}: {desc}"}

out = io.StringIO()
w = csv.writer(out, lineterminator="\n")
fields = ["ITEM_ID", "CATEGORY", "PRICE", "CREATION_TIMESTAMP", "IN_STOCK", "DESCRIPTION"]
w.writerow(fields)
bad_csv = {100: "price", 555: "missing id", 900: "fields", 1500: "timestamp", 2000: "bool", 2300: "price"}
for i in range(2400):
    row = item(i)
    values = [row[f] for f in fields]
    values[4] = "" if row["IN_STOCK"] is None else str(row["IN_STOCK"]).lower()
    kind = bad_csv.get(i)
    if kind == "price": values[2] = "twelve"
    if kind == "missing id": values[0] = ""
    if kind == "timestamp": values[3] = "2024-01-01"
    if kind == "bool": values[4] = "maybe"
    if kind == "fields": values.append("extra")
    w.writerow(values)
open("items/items-1.csv", "w").write(out.getvalue())

lines = []
bad_json = {10: "not json", 400: "price", 800: "array", 1100: "unknown field"}
for j in range(1200):
    i = 2250 + j  # 2250..3449: keys 2250..2399 repeat keys of items-1.csv
    row = item(i)
    row["PRICE"] = round(row["PRICE"] + 1, 2)
    kind = bad_json.get(j)
    if kind == "not json": lines.append('{"ITEM_ID": "item-broken", ')
    else:
        if kind == "price": row["PRICE"] = "cheap"
        if kind == "array": row["CATEGORY"] = ["a", "b"]
        if kind == "unknown field": row["COLOUR"] = "red"
        lines.append(json.dumps(row))
with gzip.GzipFile("items/items-2.jsonl.gz", "wb", mtime=0) as f:
    f.write(("\n".join(lines) + "\n").encode())

# Expected outcome of a FULL import of both files into an empty dataset.
dups = 150 - sum(1 for j in bad_json if j < 150)          # repeated keys whose later row is valid
bad_first = sum(1 for i in bad_csv if i >= 2250)           # a bad earlier row is failed, not skipped
expected = {"failed": len(bad_csv) + len(bad_json), "skipped": dups - bad_first,
            "added": 2400 + 1200 - len(bad_csv) - len(bad_json) - (dups - bad_first), "updated": 0, "unchanged": 0}
json.dump(expected, open("items/expected-full.json", "w"), indent=2)
print(expected)

# The demo's second step: a file that only arrives in the dataset's landing folder (an INCREMENTAL
# import its S3 notification starts). Items 100-149 repriced, items 9000-9049 new.
update = ["ITEM_ID,CATEGORY,PRICE,CREATION_TIMESTAMP,IN_STOCK,DESCRIPTION"]
for i in range(100, 150):
    update.append(f'item-{i:05d},garden,{10 + i % 40}.99,1764403200,true,"Repriced on 2026-11-29"')
for i in range(9000, 9050):
    update.append(f"item-{i:05d},kitchen,{5 + i % 20}.49,1764403200,true,New in November")
open("items/items-3-update.csv", "w").write("\n".join(update) + "\n")
# Each repriced item updates its record, but one whose every row in the FULL import was invalid
# (item-00100: its only row's price is "twelve") does not exist yet and is added.
missing = sum(1 for i in range(100, 150) if i in bad_csv and not (2250 <= i < 3450))
arrival = {"failed": 0, "skipped": 0, "added": 50 + missing, "updated": 50 - missing, "unchanged": 0}
json.dump(arrival, open("items/expected-arrival.json", "w"), indent=2)
print(arrival)
