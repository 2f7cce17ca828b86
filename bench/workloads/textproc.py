# textproc.py: a small, CPU-bound Python workload for bench/run (about 0.3 s):
# generate records, round-trip them through json, then scan the text with re.
import json
import random
import re

rng = random.Random(7)
words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
records = [
    {
        "id": i,
        "name": "-".join(rng.choice(words) for _ in range(3)),
        "mail": "user%d@%s.example.org" % (i, rng.choice(words)),
        "score": rng.random() * 100,
        "tags": rng.sample(words, 3),
    }
    for i in range(25000)
]
text = json.dumps(records, indent=1)
back = json.loads(text)
mails = re.findall(r"[a-z0-9]+@([a-z]+)\.example\.org", text)
dashed = sum(1 for r in back if re.fullmatch(r"(\w+)-\1-\w+|\w+-(\w+)-\2", r["name"]))
counts = {}
for domain in mails:
    counts[domain] = counts.get(domain, 0) + 1
print(len(text), len(back), dashed, sorted(counts.items())[0])
