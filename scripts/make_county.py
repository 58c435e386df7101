#!/usr/bin/env python3
"""Generate a county workspace: examples/county (two years, 2023 and 2024).

A fictional county (清河县) with 16 departments and the government as report
folders with their own narrative, and 18 townships and streets as rows of one
XLSX sheet per year. Figures are random but follow every rule of the 2021
format, and 2024's 上年结转 equals 2023's 结转下年度 for every agency.

    python3 scripts/make_county.py [--out examples/county] [--townships 18] [--departments 16] [--seed 2024]

Needs openpyxl (pip install openpyxl) for the XLSX sheets. The benchmark
uses it with --departments 182 to make 200 agencies.
"""
import argparse, json, os, random, shutil

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="examples/county")
ap.add_argument("--departments", type=int, default=16)
ap.add_argument("--townships", type=int, default=18)
ap.add_argument("--seed", type=int, default=2024)
ap.add_argument("--pdf-free", action="store_true", help="unused; kept for scripts")
a = ap.parse_args()
rnd = random.Random(a.seed)

DEPTS = ["县发展和改革局", "县教育体育局", "县公安局", "县民政局", "县司法局", "县财政局", "县人力资源和社会保障局",
         "县自然资源局", "县住房和城乡建设局", "县交通运输局", "县水利局", "县农业农村局", "县商务局",
         "县卫生健康局", "县应急管理局", "县市场监督管理局", "县医疗保障局", "县城市管理局", "县行政审批服务局", "县统计局"]
TOWNS = ["城关镇", "城东街道", "城西街道", "河口镇", "柳林镇", "石桥镇", "白沙镇", "新集镇", "王庄镇", "李家镇",
         "青山乡", "龙泉乡", "三河镇", "马坊镇", "高村乡", "南湖镇", "北岭乡", "东坪镇", "西岔乡", "杨柳镇"]
COLS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]
OUTCOMES = ["granted", "partial", "denied.state_secret", "denied.law_prohibited", "denied.security_stability",
            "denied.third_party", "denied.internal_affairs", "denied.process_info", "denied.enforcement_file",
            "denied.admin_query", "unavailable.not_held", "unavailable.needs_creation", "unavailable.unclear",
            "not_processed.petition", "not_processed.duplicate", "not_processed.publication",
            "not_processed.excessive", "not_processed.confirm_reissue", "other.no_correction", "other.fee_unpaid",
            "other.other"]
# How common each outcome is (weights for the random counts).
WEIGHT = {"granted": 6, "partial": 2, "unavailable.not_held": 2, "unavailable.needs_creation": 1,
          "not_processed.petition": 1, "not_processed.duplicate": 1}

def names(n, pool, prefix):
    out = pool[:n]
    while len(out) < n:
        out.append(f"{prefix}{len(out) + 1}")
    return out

IN_FORCE = {}

def gen_year(carried_over, scale, who=None):
    """One agency-year: outcomes, carried_forward, given last year's carry."""
    res = {}
    for o in OUTCOMES:
        w = WEIGHT.get(o, 0)
        res[o] = [rnd.randint(0, w * scale) if w and (i < 2 or rnd.random() < 0.3) else 0 for i in range(6)]
    total = [sum(res[o][i] for o in OUTCOMES) for i in range(6)]
    cf = [rnd.randint(0, 2) if rnd.random() < 0.3 else 0 for _ in range(6)]
    # new = results + carried_forward - carried_over; make it non-negative.
    new = [total[i] + cf[i] - carried_over[i] for i in range(6)]
    for i in range(6):
        if new[i] < 0:
            res["granted"][i] -= new[i]
            total[i] -= new[i]
            new[i] = 0
    fee_unpaid = sum(res["other.fee_unpaid"])
    d = {
        "new": new, "carried_over": carried_over, "results": res, "total": total, "carried_forward": cf,
        "review": [rnd.randint(0, 1) if rnd.random() < 0.2 else 0 for _ in range(4)],
        "direct": [rnd.randint(0, 1) if rnd.random() < 0.15 else 0 for _ in range(4)],
        "after": [rnd.randint(0, 1) if rnd.random() < 0.1 else 0 for _ in range(4)],
        "active": {"rules": [0, 0, 0], "normative_docs": None, "licensing": rnd.randint(0, 3000 * scale),
                   "penalty": rnd.randint(0, 200 * scale), "coercion": rnd.randint(0, 20 * scale),
                   "fees": f"{rnd.randint(0, 500)}.{rnd.randint(0, 99):02d}"},
        "fee": {"notices": fee_unpaid + (1 if rnd.random() < 0.1 else 0)},
    }
    issued = rnd.randint(0, 6)
    repealed = rnd.randint(0, 1)
    # 现行有效件数 follows last year's: + issued − repealed.
    before = IN_FORCE.get(who, rnd.randint(5, 40))
    repealed = min(repealed, before + issued)
    IN_FORCE[who] = before + issued - repealed
    d["active"]["normative_docs"] = [issued, repealed, IN_FORCE[who]]
    n = d["fee"]["notices"]
    d["fee"]["notified"] = n * 100
    d["fee"]["collected"] = max(0, n - fee_unpaid) * 100
    return d

def row(v):
    return v + [sum(v)]

def report_yaml(agency, kind, year, d, previous):
    y = ["# 由 scripts/make_county.py 生成（虚构的数据，用于演示工作区）", "meta:", f"  agency: {agency}", f"  kind: {kind}"]
    if previous:
        y.append(f"  previous: {previous}")
    y += ["narrative:", "  overview: overview.md", "active:",
          f"  rules:          {{issued: 0, repealed: 0, in_force: 0}}",
          f"  normative_docs: {{issued: {d['active']['normative_docs'][0]}, repealed: {d['active']['normative_docs'][1]}, in_force: {d['active']['normative_docs'][2]}}}",
          f"  licensing:      {{decisions: {d['active']['licensing']}}}",
          f"  penalty:        {{decisions: {d['active']['penalty']}}}",
          f"  coercion:       {{decisions: {d['active']['coercion']}}}",
          f"  admin_fees:     {{amount_wan: {d['active']['fees']}}}",
          "applications:",
          f"  new:          {row(d['new'])}", f"  carried_over: {row(d['carried_over'])}", "  results:"]
    groups = {}
    for o in OUTCOMES:
        if "." in o:
            g, k = o.split(".")
            groups.setdefault(g, []).append((k, d["results"][o]))
        else:
            y.append(f"    {o}: {row(d['results'][o])}")
    for g, items in groups.items():
        y.append(f"    {g}:")
        for k, v in items:
            y.append(f"      {k}: {row(v)}")
    y.append(f"    total: {row(d['total'])}")
    y.append(f"  carried_forward: {row(d['carried_forward'])}")
    r, di, af = d["review"], d["direct"], d["after"]
    y.append(f"review: {{upheld: {r[0]}, corrected: {r[1]}, other: {r[2]}, pending: {r[3]}, total: {sum(r)}}}")
    y.append("litigation:")
    y.append(f"  direct:       {{upheld: {di[0]}, corrected: {di[1]}, other: {di[2]}, pending: {di[3]}, total: {sum(di)}}}")
    y.append(f"  after_review: {{upheld: {af[0]}, corrected: {af[1]}, other: {af[2]}, pending: {af[3]}, total: {sum(af)}}}")
    f = d["fee"]
    y.append(f"other_matters:\n  info_fee: {{notices: {f['notices']}, notified_amount_yuan: {f['notified']}, collected_amount_yuan: {f['collected']}}}")
    return "\n".join(y) + "\n"

def sheet_row(agency, d, header_keys):
    v = {"agency": agency, "kind": "township"}
    for name, key in [("new", "new"), ("carried_over", "carried_over"), ("carried_forward", "carried_forward"), ("total", "results.total")]:
        for i, c in enumerate(COLS + ["total"]):
            v[f"applications.{key}.{c}"] = row(d[name])[i]
    for o in OUTCOMES:
        for i, c in enumerate(COLS + ["total"]):
            v[f"applications.results.{o}.{c}"] = row(d["results"][o])[i]
    for g, arr in [("review", d["review"]), ("litigation.direct", d["direct"]), ("litigation.after_review", d["after"])]:
        for i, c in enumerate(["upheld", "corrected", "other", "pending"]):
            v[f"{g}.{c}"] = arr[i]
        v[f"{g}.total"] = sum(arr)
    a_ = d["active"]
    v.update({"active.rules.issued": 0, "active.rules.repealed": 0, "active.rules.in_force": 0,
              "active.normative_docs.issued": a_["normative_docs"][0], "active.normative_docs.repealed": a_["normative_docs"][1],
              "active.normative_docs.in_force": a_["normative_docs"][2], "active.licensing.decisions": a_["licensing"],
              "active.penalty.decisions": a_["penalty"], "active.coercion.decisions": a_["coercion"],
              "active.admin_fees.amount_wan": a_["fees"], "other_matters.info_fee.notices": d["fee"]["notices"],
              "other_matters.info_fee.notified_amount_yuan": d["fee"]["notified"],
              "other_matters.info_fee.collected_amount_yuan": d["fee"]["collected"]})
    return [v.get(k, 0) for k in header_keys]

OVERVIEW = "（一）主动公开。{{ year }}年，{{ agency }}依法主动公开政府信息，制发行政规范性文件{{ active.normative_docs.issued }}件，作出行政许可决定{{ active.licensing.decisions }}件。\n\n（二）依申请公开。全年新收政府信息公开申请{{ applications.new.total }}件，上年结转{{ applications.carried_over.total }}件，办结{{ applications.results.total.total }}件，结转下年度{{ applications.carried_forward.total }}件。\n\n（三）政府信息管理。{AGENCY_TEXT}\n\n（四）平台建设。依托县政府门户网站信息公开专栏发布信息。\n\n（五）监督保障。将政务公开纳入年度工作考核，接受社会评议，落实责任追究。\n"
SHARED_PROBLEMS = "存在的主要问题：政策解读形式较单一，依申请公开办理规范化程度有待提高。\n\n改进情况：{{ year }}年将加强培训，规范答复文书，并对上年度报告所列问题逐项整改。\n"
SHARED_OTHER = "{{ agency }}{{ year }}年度无其他需要报告的事项。\n"

def main():
    out = a.out
    if os.path.exists(out):
        shutil.rmtree(out)
    depts = names(a.departments, DEPTS, "县直单位")
    towns = names(a.townships, TOWNS, "乡镇")
    # Carry-over state per agency, years 2023 then 2024.
    state = {n: [0] * 6 for n in ["清河县人民政府"] + depts + towns}
    from openpyxl import Workbook
    import subprocess
    header = None
    for year in (2023, 2024):
        root = os.path.join(out, str(year))
        os.makedirs(os.path.join(root, "shared"), exist_ok=True)
        with open(os.path.join(root, "gxgen.yaml"), "w") as f:
            f.write(f"# 清河县（虚构）{year}年度政府信息公开工作年度报告工作区，由 scripts/make_county.py 生成\n"
                    f"year: {year}\nregion: 清河县\ndefaults:\n  meta:\n    publish_date: {year + 1}-01-20\n    kind: department\n"
                    f"    contact: {{address: 清河县人民政府办公室, phone: \"0000-1234567\"}}\n"
                    f"  narrative:\n    overview: shared/overview.md\n    problems: shared/problems.md\n    other_matters: shared/other.md\n"
                    f"agencies:\n" + "".join(f"  - {n}\n" for n in ["清河县人民政府"] + depts) + "  - 乡镇街道.xlsx\n"
                    "summary: {agency: 清河县各单位汇总}\n")
        for name, text in [("overview.md", OVERVIEW.replace("{AGENCY_TEXT}", "落实信息发布审核制度。")), ("problems.md", SHARED_PROBLEMS), ("other.md", SHARED_OTHER)]:
            with open(os.path.join(root, "shared", name), "w") as f:
                f.write(text)
        for i, name in enumerate(["清河县人民政府"] + depts):
            d = gen_year(state[name], 3 if i == 0 else 1, name)
            state[name] = d["carried_forward"]
            folder = os.path.join(root, name)
            os.makedirs(folder)
            kind = "government" if i == 0 else "department"
            prev = f"../../{year - 1}/{name}/report.yaml" if year == 2024 else None
            with open(os.path.join(folder, "report.yaml"), "w") as f:
                f.write(report_yaml(name, kind, year, d, prev))
            with open(os.path.join(folder, "overview.md"), "w") as f:
                f.write(OVERVIEW.replace("{AGENCY_TEXT}", f"{name}落实信息发布“三审”制度，全年审核信息{rnd.randint(50, 900)}条。"))
        if header is None:
            subprocess.run(["cargo", "run", "--quiet", "--", "template", "csv", "--year", str(year), "-o", "/tmp/gxgen-header.csv"], check=True)
            header = open("/tmp/gxgen-header.csv", encoding="utf-8-sig").readline().strip().split(",")
        wb = Workbook()
        ws = wb.active
        ws.title = "各乡镇街道"
        ws.append(header)
        # Map the label headers to keys through a key-header template.
        keyhdr = KEYS
        for t in towns:
            d = gen_year(state[t], 1, t)
            state[t] = d["carried_forward"]
            vals = sheet_row(t.replace("乡镇", "") + ("人民政府" if t.endswith(("镇", "乡")) else "办事处"), d, keyhdr)
            ws.append(vals[:1] + ["乡镇"] + [f"{year + 1}-01-25"] + vals[3:])
        wb.save(os.path.join(root, "乡镇街道.xlsx"))

# The sheet's columns by key, in the order `gxgen template` writes them.
KEYS = ["agency", "kind", "publish_date"] + [
    f"active.{r}.{c}" for r in ("rules", "normative_docs") for c in ("issued", "repealed", "in_force")] + [
    "active.licensing.decisions", "active.penalty.decisions", "active.coercion.decisions", "active.admin_fees.amount_wan"] + [
    f"applications.{r}.{c}" for r in ["new", "carried_over"] + [f"results.{o}" for o in OUTCOMES] + ["results.total", "carried_forward"]
    for c in COLS + ["total"]] + [
    f"{g}.{c}" for g in ("review", "litigation.direct", "litigation.after_review") for c in ("upheld", "corrected", "other", "pending", "total")] + [
    "other_matters.info_fee.notices", "other_matters.info_fee.notified_amount_yuan", "other_matters.info_fee.collected_amount_yuan"]

if __name__ == "__main__":
    main()
