#!/usr/bin/env python3
"""bench/opendata_demo.py N PREFIX: N public e-petitions for bench/opendata.sh
in demo files of the format of data/demo/demo.json ("demo": true), PREFIX-1.json,
PREFIX-2.json, ... of at most 1,000 petitions each, as `petitiond demo --file`
reads at most 16 MiB.  `petitiond demo` loads once (the meta row demo_loaded),
so bench/opendata.sh deletes that row before loading each file after the first;
every file has the same reference data, which the loader writes again
(upserts).

The reference data are the demo's (Parliaments 43 to 45 with their sessions,
the 13 subjects, the 7 Members, the 5 ministries) with 23 keywords added to
its 17 (40 in all).  The petitions are e-1001 to e-(1000+N), numbered in the
order written, made with a fixed seed so every run has the same bytes:

  - 20 % open for signature (Parliament 45, closing 2 to 100 days ahead, so
    a site clock moved by a few hours closes none of them);
  - 5 % not certified, 10 % certified, 20 % presented (Parliament 45);
  - 40 % with a government response tabled (Parliaments 43 to 45), a text of
    about 2 KB in each language: paragraphs of e-2829's, as the House
    publishes them, in another order for each petition;
  - 5 % closed upon dissolution (Parliament 44);

each with 2 to 4 whereas clauses and a prayer taken from the demo's
petitions, 3 to 6 keywords, a subject, a petitioner and signature counts by
province summing to the total.  Prints the files' names, one a line.
"""
import datetime
import json
import random
import sys
from pathlib import Path

CHUNK = 1000  # petitions per file
DEMO = Path(__file__).resolve().parent.parent / "data/demo/demo.json"

MORE_KEYWORDS = [
    ("agriculture", "Agriculture", "Agriculture"),
    ("animal-welfare", "Animal welfare", "Bien-être animal"),
    ("broadband", "Broadband", "Large bande"),
    ("child-care", "Child care", "Garde d’enfants"),
    ("climate-change", "Climate change", "Changements climatiques"),
    ("criminal-code", "Criminal Code", "Code criminel"),
    ("dental-care", "Dental care", "Soins dentaires"),
    ("electoral-reform", "Electoral reform", "Réforme électorale"),
    ("employment-insurance", "Employment insurance", "Assurance-emploi"),
    ("firearms", "Firearms", "Armes à feu"),
    ("fisheries", "Fisheries", "Pêches"),
    ("housing", "Housing", "Logement"),
    ("income-tax", "Income tax", "Impôt sur le revenu"),
    ("indigenous-rights", "Indigenous rights", "Droits des Autochtones"),
    ("long-term-care", "Long-term care", "Soins de longue durée"),
    ("mental-health", "Mental health", "Santé mentale"),
    ("official-languages", "Official languages", "Langues officielles"),
    ("pensions", "Pensions", "Pensions"),
    ("pharmacare", "Pharmacare", "Assurance-médicaments"),
    ("public-safety", "Public safety", "Sécurité publique"),
    ("seniors", "Seniors", "Aînés"),
    ("veterans", "Veterans", "Anciens combattants"),
    ("water-quality", "Water quality", "Qualité de l’eau"),
]

FIRST = ["Alex", "Amira", "Ben", "Chloé", "Daniel", "Élise", "Farah", "Gabriel", "Hana", "Ian",
         "Jasmine", "Kofi", "Léa", "Marc", "Nadia", "Olivier", "Priya", "Quinn", "Rosalie",
         "Sanjay", "Thérèse", "Umar", "Valérie", "Wei", "Yves", "Zoë"]
LAST = ["Anderson", "Bouchard", "Chen", "Desjardins", "Ellis", "Fortin", "Gill", "Haddad",
        "Ivanova", "Johnson", "Kaur", "Lavoie", "MacDonald", "Nguyen", "Okafor", "Pelletier",
        "Roy", "Singh", "Tremblay", "Wilson"]
CITIES = [("Ottawa", "ON"), ("Toronto", "ON"), ("Hamilton", "ON"), ("Montréal", "QC"),
          ("Québec", "QC"), ("Gatineau", "QC"), ("Vancouver", "BC"), ("Victoria", "BC"),
          ("Calgary", "AB"), ("Edmonton", "AB"), ("Winnipeg", "MB"), ("Regina", "SK"),
          ("Saskatoon", "SK"), ("Halifax", "NS"), ("Moncton", "NB"), ("St. John’s", "NL"),
          ("Charlottetown", "PE"), ("Whitehorse", "YT"), ("Yellowknife", "NT"), ("Iqaluit", "NU")]
REGIONS = ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT", "XX"]
# Rough shares of signatures by region (Ontario and Quebec most).
WEIGHTS = [11, 13, 4, 2, 1.5, 3, 0.2, 0.1, 38, 0.5, 22, 3, 0.2, 2]


def counts(rng, total):
    """total signatures spread over the regions; the parts sum to total."""
    shares = [w * rng.uniform(0.3, 1.7) for w in WEIGHTS]
    s = sum(shares)
    by = [int(total * x / s) for x in shares]
    by[REGIONS.index("ON")] += total - sum(by)
    return {r: n for r, n in zip(REGIONS, by)}


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20251123)
    demo = json.loads(DEMO.read_text())
    ref = {k: demo[k] for k in ("parliaments", "subjects", "members", "ministries")}
    keywords = demo["keywords"] + [{"slug": s, "en": e, "fr": f} for s, e, f in MORE_KEYWORDS]
    slugs = [k["slug"] for k in keywords]
    subjects = [s["code"] for s in demo["subjects"]]
    members = [m["key"] for m in demo["members"]]
    ministries = [m["code"] for m in demo["ministries"]]
    grievances = [g for p in demo["petitions"] for g in p.get("grievances", [])]
    prayers = [p["prayer"] for p in demo["petitions"]]
    e2829 = demo["petitions"][0]["response"]
    paras = list(zip(e2829["en"].split("\n\n"), e2829["fr"].split("\n\n")))

    def response_text():
        order = rng.sample(paras, len(paras))
        en, fr = [], []
        while sum(len(x) for x in en) < 2000:
            a, b = order.pop()
            en.append(a)
            fr.append(b)
        return "\n\n".join(en), "\n\n".join(fr)

    # Presented numbers: a sequence per session.
    seq = {}

    def presented(parl, sess, date, member, ministry):
        k = (parl, sess)
        seq[k] = seq.get(k, 0) + 1
        return {"date": date, "member": member, "number": f"{parl}{sess}-{seq[k]:05d}",
                "ministry": ministry}

    petitions, responses = [], 0
    for i in range(n):
        r = rng.random()
        state = ("OPEN_FOR_SIGNATURE" if r < 0.20 else
                 "NOT_CERTIFIED" if r < 0.25 else
                 "CERTIFIED" if r < 0.35 else
                 "PRESENTED" if r < 0.55 else
                 "RESPONSE_TABLED" if r < 0.95 else
                 "CLOSED_UPON_DISSOLUTION")
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        city, prov = rng.choice(CITIES)
        days = rng.choice([30, 60, 90, 120])
        member = rng.choice(members)
        ministry = rng.choice(ministries)
        total = int(rng.paretovariate(1.2) * 80) if state != "NOT_CERTIFIED" else rng.randint(0, 499)
        if state in ("CERTIFIED", "PRESENTED", "RESPONSE_TABLED"):
            total = max(total, 500)
        p = {
            "number": f"e-{1001 + i}",
            "type": "electronic",
            "state": state,
            "subject": rng.choice(subjects),
            "keywords": rng.sample(slugs, rng.randint(3, 6)),
            "original_language": "fr" if rng.random() < 0.25 else "en",
            "petitioner": {"name": name, "city": city, "province": prov},
            "addressee": ({"type": "minister", "ministry": ministry} if rng.random() < 0.4 else
                          {"type": rng.choice(["government", "house"])}),
            "authorizing_member": member,
            "grievances": rng.sample(grievances, rng.randint(2, 4)),
            "prayer": rng.choice(prayers),
            "signature_period_days": days,
        }
        if state == "OPEN_FOR_SIGNATURE":
            left = rng.randint(2, days - 1) if days > 2 else 2
            p["parliament"], p["session"] = 45, 1
            p["opened"], p["closes"] = f"-{days - left}d 10:00", f"+{left}d 10:00"
        elif state == "CLOSED_UPON_DISSOLUTION":
            p["parliament"], p["session"] = 44, 1
            p["opened"], p["closes"] = "2025-01-20 10:00", "2025-05-20 10:00"
            p["signature_period_days"] = 120
        elif state == "RESPONSE_TABLED" and rng.random() < 0.5:
            # An older one, in a past Parliament, with absolute dates.
            parl, sess, year, months = rng.choice([(43, 2, 2021, 3), (44, 1, 2022, 6),
                                                   (44, 1, 2023, 6)])
            if parl == 43:
                days = p["signature_period_days"] = 30  # answered before the dissolution
            opened = datetime.date(year, rng.randint(1, months), rng.randint(1, 28))
            closes = opened + datetime.timedelta(days=days)
            p["parliament"], p["session"] = parl, sess
            p["opened"], p["closes"] = f"{opened} 10:00", f"{closes} 10:00"
            p["certified"] = str(closes + datetime.timedelta(days=3))
            p["presented"] = presented(parl, sess, str(closes + datetime.timedelta(days=20)),
                                       rng.choice(members), ministry)
            p["response"] = {"ministry": ministry, "signed_by": "The Honourable A. Minister",
                             "tabled": str(closes + datetime.timedelta(days=65))}
        else:
            # Parliament 45 (opened 2025-05-26), dates relative to the load.
            ago = rng.randint(days + 80, days + 160)
            p["parliament"], p["session"] = 45, 1
            p["opened"], p["closes"] = f"-{ago}d 10:00", f"-{ago - days}d 10:00"
            if state in ("CERTIFIED", "PRESENTED", "RESPONSE_TABLED"):
                p["certified"] = f"-{ago - days - 3}d"
            if state in ("PRESENTED", "RESPONSE_TABLED"):
                p["presented"] = presented(45, 1, f"-{ago - days - 20}d", rng.choice(members),
                                           ministry)
            if state == "RESPONSE_TABLED":
                p["response"] = {"ministry": ministry, "signed_by": "The Honourable A. Minister",
                                 "tabled": f"-{ago - days - 65}d"}
        if "response" in p:
            p["response"]["en"], p["response"]["fr"] = response_text()
            responses += 1
        p["signatures"] = {"total": total, "by_region": counts(rng, total)}
        petitions.append(p)

    for k in range(0, n, CHUNK):
        doc = {"demo": True,
               "notice": f"BENCHMARK DATA for bench/opendata.sh: {n} invented petitions,"
                         f" {responses} with a response; e-{1001 + k} to e-{1000 + min(n, k + CHUNK)}.",
               **ref, "keywords": keywords, "petitions": petitions[k:k + CHUNK]}
        name = f"{out}-{k // CHUNK + 1}.json"
        Path(name).write_text(json.dumps(doc, ensure_ascii=False))
        print(name)


if __name__ == "__main__":
    main()
