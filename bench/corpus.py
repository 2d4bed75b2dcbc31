"""Synthetic bilingual corpora for the benchmark: seeded, deterministic, realistic.

``generate(dest, size)`` writes a complete project into ``dest`` -- ``mkdocs.yml`` and
``site_overrides/`` copied from the repository, ``content/`` (reviews, glossary, trial /
regimen / drug records) and ``refs.bib`` -- that builds like the real one:

* S sections (each one file with paired ``::: zh`` / ``::: en`` blocks, so S pages per
  language), spread over reviews of 20 sections at most; every review has its landing page
  (abstract) and an ``editor-notes.md`` page, like the real reviews. Blocks hold paragraphs,
  headings, lists, pipe tables, admonitions, editor's notes and footnotes; both blocks of a
  pair cite the same references (``[@a]``, ``[@a; @b]``, ``[@a, p. 12]``) and name trials.
* T trial records (the schema of the records helper: arms, endpoints with sources and
  confidence intervals, registry numbers, status, notes), with the regimens and drugs they
  refer to, cross-referenced both ways.
* R references: a realistic mix of entry types (journal articles, conference papers, books,
  chapters, theses, reports, registry records), with accented Latin names (as UTF-8 and as
  LaTeX escapes), Chinese names written with and without a space or a comma, Chinese titles,
  ``and others``, DOIs and PubMed ids.

The same (size, seed) always gives byte-identical files. ``copies=2`` writes the corpus twice
(ids, keys and registry numbers of the second copy renamed), which is how the "large x2"
size doubles the large corpus exactly.

``citation_case(dest, ...)`` writes the three projects of the citation benchmark (the same
50 pages and 4,000 citations against a 10,000-entry refs.bib: no citation processing,
mkdocs-bibtex, ours); ``real(dest)`` copies the repository's own content.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

SIZES: dict[str, dict[str, int]] = {
    # sections = section files (= pages per language); trials; refs (entries of refs.bib)
    "tiny": {"sections": 2, "trials": 3, "refs": 20, "copies": 1},
    "small": {"sections": 50, "trials": 100, "refs": 500, "copies": 1},
    "large": {"sections": 200, "trials": 500, "refs": 5000, "copies": 1},
    "large-x2": {"sections": 200, "trials": 500, "refs": 5000, "copies": 2},
}
SECTIONS_PER_REVIEW = 20

# ---------------------------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------------------------

SURNAMES_LATIN = [
    "Finn", "Llovet", "Kudo", "Cheng", "Qin", "Ikeda", "Galle", "Sangro", "Yau", "Zhu", "Abou-Alfa", "Kelley",
    "Merle", "Ducreux", "Pinato", "Rimassa", "Vogel", "Bruix", "Forner", "Reig", "Lencioni", "Marrero", "Heimbach",
    "Singal", "Villanueva", "Pawlik", "Tabrizian", "Yarchoan", "Sherman", "Harding", "Greten", "El-Khoueiry",
    "O'Neil", "van der Berg", "de la Cruz", "MacDonald",
]
SURNAMES_ACCENTED = [  # (as UTF-8, as LaTeX)
    ("Müller", r"M{\"u}ller"), ("Fàbrega", r"F{\`a}brega"), ("Núñez", r"N{\'u}{\~n}ez"), ("Çelik", r"{\c C}elik"),
    ("Østergaard", r"{\O}stergaard"), ("Gómez", r"G{\'o}mez"), ("Šimůnek", r"{\v S}im{\r u}nek"),
    ("Bønnelykke", r"B{\o}nnelykke"), ("Lévy", r"L{\'e}vy"), ("Schröder", r"Schr{\"o}der"),
]
GIVEN_LATIN = ["Richard S.", "Josep M.", "Masatoshi", "Ann-Lii", "Shukui", "Peter R.", "Bruno", "Thomas", "A. B.",
               "Lorenza", "Arndt", "Riad", "Maria", "Jordi", "Laura", "David J.", "Hélène", "Jörg", "R. K.", "Tim F."]
SURNAMES_PINYIN = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
                   "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao", "Fan", "Shen", "Ren", "Xie", "Fang", "Lyu"]
GIVEN_PINYIN = ["Wei", "Jian", "Xiaoming", "Li-Na", "Haitao", "Yu", "Jun", "Qiang", "Mingyu", "Shuang", "Zhenggang",
                "Xiaodong", "Yan", "Ping", "Hongbo", "Jia", "Lei", "Tao", "Yongjun", "Xin"]
SURNAMES_HAN = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
                "罗", "高", "欧阳", "司马", "诸葛", "范", "沈", "任"]
GIVEN_HAN = ["伟", "建国", "晓明", "丽娜", "海涛", "宇", "军", "强", "明宇", "爽", "正刚", "晓东", "艳", "平", "洪波", "佳",
             "磊", "涛", "永军", "欣"]

JOURNALS_EN = [
    ("N Engl J Med", "NEJM"), ("Lancet Oncol", "lancetonc"), ("J Clin Oncol", "jco"), ("J Hepatol", "jhep"),
    ("Hepatology", "hep"), ("Liver Cancer", "livcan"), ("JAMA Oncol", "jamaonc"), ("Gut", "gut"),
    ("Clin Cancer Res", "ccr"), ("J Immunother Cancer", "jitc"), ("Hepatol Int", "hepint"),
    ("Ann Oncol", "annonc"), ("Cancer Cell", "ccell"), ("Nat Rev Clin Oncol", "nrco"), ("Radiology", "radiol"),
    ("J Vasc Interv Radiol", "jvir"), ("Front Oncol", "fonc"), ("Cancers (Basel)", "cancers"),
]
JOURNALS_ZH = ["中华肝脏病杂志", "中华肿瘤杂志", "中华放射学杂志", "中华外科杂志", "中国癌症杂志", "临床肝胆病杂志",
               "介入放射学杂志", "肝胆外科杂志"]
TITLE_WORDS = [
    "Atezolizumab", "Bevacizumab", "Lenvatinib", "Sorafenib", "Pembrolizumab", "Nivolumab", "Durvalumab",
    "Tremelimumab", "Camrelizumab", "Sintilimab", "Tislelizumab", "Apatinib", "Regorafenib", "Cabozantinib",
    "Transarterial Chemoembolization", "Hepatic Arterial Infusion Chemotherapy", "Stereotactic Body Radiotherapy",
    "Radiofrequency Ablation", "Unresectable Hepatocellular Carcinoma", "Advanced Hepatocellular Carcinoma",
    "Intermediate-Stage {HCC}", "Portal Vein Tumour Thrombus", "Conversion Therapy", "Adjuvant Therapy",
    "Immune Checkpoint Inhibitors", "{PD-1}/{PD-L1} Blockade", "{CTLA-4}", "Tumour Microenvironment",
    "Overall Survival", "Progression-Free Survival", "Objective Response", "{mRECIST}", "{RECIST} 1.1",
    "Real-World Evidence", "Meta-Analysis", "Phase 3 Trial", "Single-Arm Phase 2 Study", "Biomarkers",
    "{AFP} Response", "Child--Pugh {B}", "Hepatitis {B} Virus", "{BCLC} Stage {C}",
]
TITLE_FRAMES = [
    "{a} plus {b} in {c}", "{a} versus {b} for {c}: a randomised, open-label, {d}", "{a} combined with {b} in {c}",
    "Efficacy and safety of {a} in {c}", "{a} and {b}: {d} of {c}", "Updated {e} with {a} in {c}",
    "Predictors of {e} after {a} in {c}", "{a} after {b} in {c}: a multicentre {d}",
]
TITLES_ZH = ["{a}联合{b}治疗{c}的疗效与安全性", "{a}序贯{b}治疗{c}的多中心回顾性研究", "{c}患者接受{a}治疗后的生存分析",
             "{a}对比{b}一线治疗{c}：随机对照研究", "{c}转化治疗的研究进展"]
DRUG_ZH = ["卡瑞利珠单抗", "仑伐替尼", "索拉非尼", "阿替利珠单抗", "贝伐珠单抗", "信迪利单抗", "替雷利珠单抗", "阿帕替尼",
           "肝动脉化疗栓塞", "肝动脉灌注化疗", "立体定向放疗", "纳武利尤单抗", "帕博利珠单抗", "度伐利尤单抗"]
DISEASE_ZH = ["不可切除肝细胞癌", "晚期肝细胞癌", "中期肝细胞癌", "合并门静脉癌栓的肝癌", "肝切除术后高危复发患者"]

# Drugs and procedures (id, zh, en, class, abbr)
DRUGS = [
    ("atezolizumab", "阿替利珠单抗", "atezolizumab", "pd-l1", None),
    ("durvalumab", "度伐利尤单抗", "durvalumab", "pd-l1", None),
    ("avelumab", "阿维鲁单抗", "avelumab", "pd-l1", None),
    ("nivolumab", "纳武利尤单抗", "nivolumab", "pd-1", None),
    ("pembrolizumab", "帕博利珠单抗", "pembrolizumab", "pd-1", None),
    ("camrelizumab", "卡瑞利珠单抗", "camrelizumab", "pd-1", None),
    ("sintilimab", "信迪利单抗", "sintilimab", "pd-1", None),
    ("tislelizumab", "替雷利珠单抗", "tislelizumab", "pd-1", None),
    ("toripalimab", "特瑞普利单抗", "toripalimab", "pd-1", None),
    ("ipilimumab", "伊匹木单抗", "ipilimumab", "ctla-4", None),
    ("tremelimumab", "曲美木单抗", "tremelimumab", "ctla-4", None),
    ("bevacizumab", "贝伐珠单抗", "bevacizumab", "anti-vegf", None),
    ("ramucirumab", "雷莫西尤单抗", "ramucirumab", "anti-vegf", None),
    ("sorafenib", "索拉非尼", "sorafenib", "multi-kinase-tki", None),
    ("lenvatinib", "仑伐替尼", "lenvatinib", "multi-kinase-tki", None),
    ("regorafenib", "瑞戈非尼", "regorafenib", "multi-kinase-tki", None),
    ("cabozantinib", "卡博替尼", "cabozantinib", "multi-kinase-tki", None),
    ("donafenib", "多纳非尼", "donafenib", "multi-kinase-tki", None),
    ("apatinib", "阿帕替尼", "apatinib", "vegfr2-tki", None),
    ("oxaliplatin", "奥沙利铂", "oxaliplatin", "chemotherapy", None),
    ("doxorubicin", "多柔比星", "doxorubicin", "chemotherapy", None),
    ("tace", "经动脉化疗栓塞", "transarterial chemoembolisation", "procedure", "TACE"),
    ("haic", "肝动脉灌注化疗", "hepatic arterial infusion chemotherapy", "procedure", "HAIC"),
    ("sbrt", "立体定向放射治疗", "stereotactic body radiotherapy", "procedure", "SBRT"),
    ("ablation", "消融", "ablation", "procedure", None),
    ("resection", "肝切除术", "hepatectomy", "procedure", None),
]
DRUG_IDS = [d[0] for d in DRUGS]
DRUG_BY_ID = {d[0]: d for d in DRUGS}
ICI = [d[0] for d in DRUGS if d[3] in ("pd-1", "pd-l1")]
CTLA4 = [d[0] for d in DRUGS if d[3] == "ctla-4"]
VEGF = [d[0] for d in DRUGS if d[3] == "anti-vegf"]
TKI = [d[0] for d in DRUGS if d[3] in ("multi-kinase-tki", "vegfr2-tki")]
LOCO = ["tace", "haic", "sbrt", "ablation"]
SETTINGS = ["first-line", "second-line", "adjuvant", "perioperative", "intermediate-stage", "advanced",
            "unresectable", "conversion", "tace-refractory", "locally-advanced", "recurrent", "high-risk"]
DESIGNS = ["randomised", "randomised", "randomised", "non-randomised", "single-arm", "single-arm",
           "prospective-cohort", "retrospective", "retrospective"]
PHASES = ["1", "1b", "1/2", "Ib/II", "2", "2", "2", "3", "3", "3"]
TRIAL_PREFIXES = ["HEPATO", "LIVERA", "IMMUNE-HCC", "ORIENT", "CARES", "RATIONALE", "LEAP", "EMERALD", "TALENT",
                  "CHANCE", "TACTICS", "LAUNCH", "STRATUM", "HIMALAYA", "KEYNOTE", "CheckMate", "IMbrave", "GO",
                  "REACH", "SHARP", "REFLECT", "RESORCE", "CELESTIAL", "COSMIC", "ZGDH", "DEMAND", "PLATFORM"]

GLOSSARY_ABBRS = ["HCC", "TACE", "HAIC", "ORR", "DCR", "PFS", "OS", "PD-1", "PD-L1", "CTLA-4", "ICI", "TKI", "VEGF",
                  "AFP", "BCLC", "SBRT", "RFA", "mRECIST", "CR", "PR", "HBV", "TRAE", "PVTT", "FDA"]

ZH_SUBJECTS = ["免疫检查点抑制剂", "抗血管生成药物", "局部区域治疗", "TACE联合系统治疗", "HAIC", "靶向免疫联合方案",
               "PD-1 抑制剂", "仑伐替尼联合 PD-1 抑制剂", "肝动脉灌注化疗", "立体定向放疗", "双免疫联合治疗", "转化治疗"]
ZH_VERBS = ["显著提高了", "在一定程度上改善了", "未能显著延长", "进一步延长了", "明显增加了", "稳定维持了"]
ZH_OBJECTS = ["晚期 HCC 患者的客观缓解率（ORR）", "中位无进展生存期（PFS）", "中位总生存期（OS）", "疾病控制率（DCR）",
              "肿瘤降期及转化切除率", "患者的生活质量", "治疗相关不良事件（TRAE）的发生率", "AFP 应答率"]
ZH_TAILS = ["，且安全性可控", "，但 3 级及以上不良反应发生率仍较高", "，提示两者具有协同作用", "，值得进一步开展前瞻性研究",
            "，尤其在合并门静脉癌栓（PVTT）的患者中", "，与既往研究结果一致", "，为该人群提供了新的治疗选择"]
ZH_LINKS = ["此外，", "然而，", "同时，", "值得注意的是，", "另一项研究显示，", "与此相似，", ""]
EN_SUBJECTS = ["Immune checkpoint inhibitors", "Anti-angiogenic agents", "Locoregional therapy",
               "TACE combined with systemic therapy", "HAIC", "Targeted-immunotherapy combinations",
               "PD-1 inhibitors", "Lenvatinib plus a PD-1 inhibitor", "Hepatic arterial infusion chemotherapy",
               "Stereotactic body radiotherapy", "Dual immune checkpoint blockade", "Conversion therapy"]
EN_VERBS = ["significantly improved", "modestly improved", "did not significantly prolong", "further prolonged",
            "markedly increased", "maintained"]
EN_OBJECTS = ["the objective response rate (ORR) in advanced HCC", "median progression-free survival (PFS)",
              "median overall survival (OS)", "the disease control rate (DCR)", "downstaging and conversion resection",
              "quality of life", "the rate of treatment-related adverse events (TRAE)", "the AFP response rate"]
EN_TAILS = [", with manageable safety", ", although grade 3 or higher adverse events remained frequent",
            ", suggesting a synergistic effect", ", which warrants further prospective study",
            ", particularly in patients with portal vein tumour thrombus (PVTT)", ", in line with earlier studies",
            ", offering a new option for this population"]
EN_LINKS = ["In addition, ", "However, ", "At the same time, ", "Notably, ", "Another study showed that ",
            "Similarly, ", ""]
HEADINGS = [("研究背景", "Background"), ("作用机制", "Mechanism of action"), ("临床研究进展", "Clinical progress"),
            ("联合治疗策略", "Combination strategies"), ("不良反应管理", "Management of adverse events"),
            ("生物标志物", "Biomarkers"), ("患者选择", "Patient selection"), ("疗效评价", "Response assessment"),
            ("局部治疗与系统治疗的序贯", "Sequencing locoregional and systemic therapy"),
            ("真实世界研究", "Real-world studies"), ("转化治疗", "Conversion therapy"), ("展望", "Outlook")]
SECTION_TITLES = [("引言", "Introduction"), ("免疫检查点抑制剂单药", "ICI monotherapy"),
                  ("双免疫联合", "Dual checkpoint blockade"), ("免疫联合抗血管生成", "ICIs with anti-angiogenic agents"),
                  ("免疫联合 TKI", "ICIs with tyrosine kinase inhibitors"), ("TACE 联合系统治疗", "TACE with systemic therapy"),
                  ("HAIC 联合系统治疗", "HAIC with systemic therapy"), ("放疗联合免疫治疗", "Radiotherapy with immunotherapy"),
                  ("消融联合免疫治疗", "Ablation with immunotherapy"), ("围手术期治疗", "Perioperative therapy"),
                  ("转化治疗", "Conversion therapy"), ("耐药机制", "Mechanisms of resistance"),
                  ("生物标志物", "Biomarkers"), ("特殊人群", "Special populations"), ("结论", "Conclusion")]
REVIEW_TOPICS = [("免疫检查点抑制剂治疗肝细胞癌研究进展", "Advances in immune checkpoint inhibitor therapy for HCC"),
                 ("介入联合系统治疗肝细胞癌的研究进展", "Interventional plus systemic therapy for HCC"),
                 ("肝细胞癌转化治疗的现状与展望", "Conversion therapy for HCC: state of the art"),
                 ("肝细胞癌的围手术期治疗", "Perioperative treatment of HCC"),
                 ("肝细胞癌靶向治疗的耐药机制", "Resistance to targeted therapy in HCC"),
                 ("肝细胞癌免疫治疗的生物标志物", "Biomarkers of immunotherapy in HCC")]


# ---------------------------------------------------------------------------------------------------------------
# Model of a corpus (in memory, before it is written)
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Ref:
    key: str
    text: str  # the BibTeX entry, with {KEY} in place of the key


@dataclass
class Corpus:
    refs: list[Ref]
    trials: list[dict]  # front-matter dicts (+ "_notes": list of (zh, en))
    regimens: list[dict]
    reviews: list[dict]  # {"id", "front": landing front-matter, "abstract": text, "files": {name: text}}


def _person_latin(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.12:
        utf, tex = rng.choice(SURNAMES_ACCENTED)
        return f"{tex if rng.random() < 0.5 else utf}, {rng.choice(GIVEN_LATIN)}"
    if r < 0.45:
        return f"{rng.choice(SURNAMES_PINYIN)}, {rng.choice(GIVEN_PINYIN)}"
    return f"{rng.choice(SURNAMES_LATIN)}, {rng.choice(GIVEN_LATIN)}"


def _person_han(rng: random.Random) -> str:
    fam, given = rng.choice(SURNAMES_HAN), rng.choice(GIVEN_HAN)
    form = rng.random()
    if form < 0.4:
        return f"{fam} {given}"  # family name first, space (pybtex alone would read it reversed)
    if form < 0.7:
        return f"{fam}, {given}"
    return f"{{{fam}{given}}}"  # one braced token


def _authors(rng: random.Random, han: bool) -> str:
    n = rng.choice([1, 2, 3, 3, 4, 5, 6, 6, 8])
    people = [(_person_han if han else _person_latin)(rng) for _ in range(n)]
    if n >= 6 and rng.random() < 0.5:
        people = people[:3] + ["others"]
    return " and ".join(people)


def _title_en(rng: random.Random) -> str:
    w = rng.sample(TITLE_WORDS, 5)
    return rng.choice(TITLE_FRAMES).format(a=w[0], b=w[1], c=w[2], d=w[3], e=w[4])


def _title_zh(rng: random.Random) -> str:
    a, b = rng.sample(DRUG_ZH, 2)
    return rng.choice(TITLES_ZH).format(a=a, b=b, c=rng.choice(DISEASE_ZH))


def _refs(rng: random.Random, n: int) -> list[Ref]:
    refs: list[Ref] = []
    used: set[str] = set()
    pmid = 30000000
    for i in range(n):
        year = rng.randint(2005, 2025)
        han = rng.random() < 0.12
        stem = rng.choice(SURNAMES_PINYIN if han else [s.split()[-1].lower() for s in SURNAMES_LATIN])
        stem = "".join(c for c in stem.lower() if c.isalnum())
        word = rng.choice(["imbrave", "leap", "orient", "tace", "haic", "sbrt", "ici", "tki", "pvtt", "conv",
                           "adjuvant", "rwe", "meta", "biomarker", "phase2", "phase3", "update", "safety"])
        key = f"{stem}{year}{word}"
        k = 2
        while key in used:
            key = f"{stem}{year}{word}{k}"
            k += 1
        used.add(key)
        kind = rng.choices(["article", "inproceedings", "book", "incollection", "phdthesis", "techreport", "misc"],
                           weights=[72, 7, 3, 4, 3, 3, 8])[0]
        f: list[tuple[str, str]] = []
        if kind == "misc" and rng.random() < 0.7:  # registry record
            nct = f"NCT{rng.randint(1000000, 5999999):08d}"
            f = [("title", f"ClinicalTrials.gov record {nct}"), ("howpublished", f"\\url{{https://clinicaltrials.gov/study/{nct}}}"),
                 ("year", str(year)), ("note", "Accessed 2025-03-01")]
        else:
            f.append(("author", _authors(rng, han)))
            f.append(("title", _title_zh(rng) if han else _title_en(rng)))
            if kind == "article":
                if han:
                    f.append(("journal", rng.choice(JOURNALS_ZH)))
                    f.append(("language", "chinese"))
                else:
                    f.append(("journal", rng.choice(JOURNALS_EN)[0]))
                f += [("year", str(year)), ("volume", str(rng.randint(1, 400)))]
                if rng.random() < 0.7:
                    f.append(("number", str(rng.randint(1, 24))))
                p = rng.randint(1, 3000)
                f.append(("pages", f"{p}--{p + rng.randint(3, 14)}"))
                if rng.random() < 0.8:
                    f.append(("doi", f"10.{rng.randint(1000, 9999)}/{stem}.{year}.{rng.randint(10000, 99999)}"))
                if not han and rng.random() < 0.6:
                    pmid += rng.randint(1, 90000)
                    f.append(("pmid", str(pmid)))
            elif kind == "inproceedings":
                f += [("booktitle", f"Proceedings of the {rng.choice(['ASCO', 'ESMO', 'AASLD', 'EASL', 'APASL'])} "
                                    f"Annual Meeting {year}"), ("year", str(year)),
                      ("pages", f"abstr {rng.randint(100, 9999)}")]
            elif kind == "book":
                f += [("publisher", rng.choice(["Springer", "Elsevier", "人民卫生出版社", "Wiley-Blackwell"])),
                      ("address", rng.choice(["Cham", "Amsterdam", "北京", "Hoboken"])), ("year", str(year)),
                      ("edition", str(rng.randint(1, 5)))]
            elif kind == "incollection":
                f += [("booktitle", f"{rng.choice(['Hepatocellular Carcinoma', 'Liver Cancer', '肝癌诊疗学'])}: "
                                    f"{rng.choice(['Diagnosis and Treatment', 'Principles and Practice', '第3版'])}"),
                      ("editor", _authors(rng, han).replace(" and others", "")),
                      ("publisher", rng.choice(["Springer", "Humana Press", "科学出版社"])), ("year", str(year)),
                      ("pages", f"{(p := rng.randint(1, 500))}--{p + rng.randint(5, 40)}")]
            elif kind == "phdthesis":
                f += [("school", rng.choice(["复旦大学", "Sun Yat-sen University", "Université Paris Cité",
                                             "Ludwig-Maximilians-Universität München"])), ("year", str(year))]
            elif kind == "techreport":
                f += [("institution", rng.choice(["World Health Organization", "国家卫生健康委员会", "NICE"])),
                      ("number", f"TR-{rng.randint(1, 99)}"), ("year", str(year))]
            else:
                f += [("howpublished", "Poster"), ("year", str(year))]
        width = max(len(name) for name, _ in f)
        body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in f)
        refs.append(Ref(key, f"@{kind}{{{{KEY}},\n{body}\n}}\n"))
    return refs


def _regimens_and_trials(rng: random.Random, n_trials: int, keys: list[str], review_ids: list[str]) -> tuple[list[dict], list[dict]]:
    # Regimens: combinations of the drug list, ids from their components.
    n_reg = max(6, n_trials // 3)
    regimens: dict[str, dict] = {}
    makers = [
        ("ici-mono", lambda: [rng.choice(ICI)]), ("dual-ici", lambda: [rng.choice(ICI), rng.choice(CTLA4)]),
        ("ici-anti-vegf", lambda: [rng.choice(ICI), rng.choice(VEGF)]), ("ici-tki", lambda: [rng.choice(ICI), rng.choice(TKI)]),
        ("ici-locoregional", lambda: [rng.choice(LOCO), rng.choice(ICI)]),
        ("locoregional-tki-ici", lambda: [rng.choice(LOCO), rng.choice(TKI), rng.choice(ICI)]),
        ("tki", lambda: [rng.choice(TKI)]), ("locoregional", lambda: [rng.choice(LOCO)]),
        ("locoregional-tki", lambda: [rng.choice(LOCO), rng.choice(TKI)]),
        ("ici-chemo", lambda: [rng.choice(ICI), "oxaliplatin"]),
    ]
    tries = 0
    while len(regimens) < n_reg and tries < n_reg * 50:
        tries += 1
        category, make = rng.choice(makers)
        comps = list(dict.fromkeys(make()))
        rid = "-".join(comps)
        if len(regimens) >= 60:  # beyond the natural combinations: dose / schedule variants
            rid += f"-v{len(regimens)}"
        if rid in regimens:
            continue
        zh = "联合".join(DRUG_BY_ID[c][1] for c in comps)
        en = " plus ".join(DRUG_BY_ID[c][4] or DRUG_BY_ID[c][2] for c in comps)
        en = en[0].upper() + en[1:]
        reg = {"id": rid, "name": {"zh": zh, "en": en}}
        if rng.random() < 0.2:
            reg["labels"] = [f"{''.join(c[0].upper() for c in comps)} 方案"]
        reg.update({"components": comps, "category": category,
                    "settings": sorted(rng.sample(SETTINGS, rng.randint(1, 2)), key=SETTINGS.index), "trials": []})
        regimens[rid] = reg
    reg_ids = list(regimens)
    trials: list[dict] = []
    used_names: set[str] = set()
    nct_used: set[str] = set()
    for i in range(n_trials):
        while True:
            name = f"{rng.choice(TRIAL_PREFIXES)}-{rng.randint(1, 999):03d}"
            if name not in used_names:
                break
        used_names.add(name)
        tid = name.lower()
        # a standard trial name is its own Chinese display name (as IMbrave150 is on the real site)
        t: dict = {"id": tid, "name": name, "zh_name": name}
        if rng.random() < 0.15:
            t["aliases"] = [f"Study {rng.randint(10, 99)}{'AB'[i % 2]}"]
        if rng.random() < 0.8:
            while True:
                nct = f"NCT0{rng.randint(1000000, 6999999)}"
                if nct not in nct_used:
                    break
            nct_used.add(nct)
            t["registry"] = [nct]
        if rng.random() < 0.9:
            t["phase"] = rng.choice(PHASES)
        t["design"] = rng.choice(DESIGNS)
        t["settings"] = sorted(rng.sample(SETTINGS, rng.randint(1, 3)), key=SETTINGS.index)
        t["population"] = {"zh": rng.choice(DISEASE_ZH), "en": rng.choice(["Unresectable HCC", "Advanced HCC",
                                                                              "Intermediate-stage HCC", "HCC with PVTT",
                                                                              "High-risk HCC after resection"])}
        arms = rng.sample(reg_ids, 2 if t["design"] == "randomised" else 1)
        sizes = [rng.randint(15, 450) for _ in arms]
        t["patients"] = sum(sizes)
        t["arms"] = [{"regimen": r, "n": n} for r, n in zip(arms, sizes)]
        for r in arms:
            regimens[r]["trials"].append(tid)
        if rng.random() < 0.3:
            first = regimens[arms[0]]["components"]
            t["sequence"] = {"zh": "先行局部治疗，2 周内开始系统治疗", "en": "Locoregional treatment first, systemic therapy within 2 weeks",
                             "steps": [{"treatments": first[:1]}, {"treatments": first[1:] or first[:1],
                                                                   "when": {"zh": "2 周内", "en": "within 2 weeks"}}]}
        endpoints = []
        srcs = rng.sample(keys, min(len(keys), rng.randint(1, 3)))
        for _ in range(rng.randint(2, 6)):
            measure = rng.choice(["ORR", "ORR", "DCR", "PFS", "PFS", "OS", "OS", "CR", "TTP", "conversion"])
            unit = "%" if measure in ("ORR", "DCR", "CR", "conversion") else "months"
            value = round(rng.uniform(5, 80), 1) if unit == "%" else round(rng.uniform(2, 30), 1)
            e: dict = {"measure": measure, "value": value, "unit": unit}
            if rng.random() < 0.5:
                lo = round(value * rng.uniform(0.55, 0.95), 1)
                hi = round(value * rng.uniform(1.05, 1.6), 1)
                e["ci"] = [lo, hi]
            e["arm"] = rng.choice(arms)
            if measure in ("ORR", "DCR", "CR") and rng.random() < 0.6:
                e["criteria"] = rng.choice(["RECIST 1.1", "mRECIST"])
            e["source"] = rng.choice(srcs)
            endpoints.append(e)
        t["endpoints"] = endpoints
        if rng.random() < 0.2:
            t["status"] = [{"zh": "获国家药品监督管理局批准用于晚期 HCC 一线治疗",
                            "en": "Approved by the NMPA for first-line treatment of advanced HCC",
                            "review": rng.choice(review_ids)}]
        t["refs"] = srcs
        notes = []
        for _ in range(rng.choice([0, 0, 1, 2])):
            k = rng.choice(srcs)
            notes.append((f"该研究的中位随访时间为 {rng.randint(6, 40)} 个月[@{k}]。",
                          f"The median follow-up of the study was {rng.randint(6, 40)} months [@{k}]."))
        t["_notes"] = notes
        trials.append(t)
    return list(regimens.values()), trials


class _Cites:
    """Draws citation keys: every key of the bibliography gets cited somewhere, popular ones more often."""

    def __init__(self, rng: random.Random, keys: list[str]):
        self.rng = rng
        self.keys = keys
        self.order = keys[:]
        rng.shuffle(self.order)
        self.next = 0

    def key(self) -> str:
        if self.next < len(self.order) and self.rng.random() < 0.6:
            k = self.order[self.next]
            self.next += 1
            return k
        # popular references: a skewed draw
        i = int(len(self.keys) * (self.rng.random() ** 3))
        return self.keys[i]

    def cite(self) -> str:
        r = self.rng.random()
        if r < 0.6:
            return f"[@{self.key()}]"
        if r < 0.9:
            ks = list(dict.fromkeys(self.key() for _ in range(self.rng.randint(2, 4))))
            return "[" + "; ".join(f"@{k}" for k in ks) + "]"
        return f"[@{self.key()}, {self.rng.choice(['p. ', 'pp. ', 'fig. ', 'table '])}{self.rng.randint(1, 30)}]"


def _sentence(rng: random.Random, trial_names: list[str]) -> tuple[str, str]:
    i, v, o, t, link = (rng.randrange(len(ZH_SUBJECTS)), rng.randrange(len(ZH_VERBS)), rng.randrange(len(ZH_OBJECTS)),
                        rng.randrange(len(ZH_TAILS)), rng.randrange(len(ZH_LINKS)))
    zh = f"{ZH_LINKS[link]}{ZH_SUBJECTS[i]}{ZH_VERBS[v]}{ZH_OBJECTS[o]}{ZH_TAILS[t]}"
    subject = EN_SUBJECTS[i]
    if EN_LINKS[link] and not subject[1].isupper():
        subject = subject[0].lower() + subject[1:]
    en = f"{EN_LINKS[link]}{subject} {EN_VERBS[v]} {EN_OBJECTS[o]}{EN_TAILS[t]}"
    if trial_names and rng.random() < 0.25:
        name = rng.choice(trial_names)
        n, orr = rng.randint(20, 500), rng.randint(10, 70)
        zh = f"在纳入 {n} 例患者的 {name} 研究中，ORR 为 {orr}%，使用TACE治疗的亚组获益更明显；{zh}"
        en = f"In the {name} study of {n} patients, the ORR was {orr}%, with a larger benefit in the TACE subgroup; " \
             f"{en if en[1].isupper() else en[0].lower() + en[1:]}"
    return zh, en


def _paragraph(rng: random.Random, cites: _Cites, trial_names: list[str], n_cites: int) -> tuple[str, str]:
    zh_parts, en_parts = [], []
    n = rng.randint(3, 6)
    slots = sorted(rng.sample(range(n), min(n, n_cites)))
    for k in range(n):
        zh, en = _sentence(rng, trial_names)
        if k in slots:
            c = cites.cite()
            zh += c
            en += " " + c
        zh_parts.append(zh + "。")
        en_parts.append(en + ".")
    return "".join(zh_parts), " ".join(en_parts)


def _table(rng: random.Random, cites: _Cites, trial_names: list[str]) -> tuple[str, str]:
    rows_zh = ["| 研究 | 例数 | ORR | mPFS（月） | 文献 |", "|---|---:|---:|---:|---|"]
    rows_en = ["| Study | n | ORR | mPFS (months) | Ref. |", "|---|---:|---:|---:|---|"]
    for _ in range(rng.randint(3, 8)):
        name = rng.choice(trial_names) if trial_names else f"Study {rng.randint(1, 99)}"
        n, orr, pfs, c = rng.randint(20, 500), rng.randint(5, 70), round(rng.uniform(2, 20), 1), cites.cite()
        rows_zh.append(f"| {name} | {n} | {orr}% | {pfs} | {c} |")
        rows_en.append(f"| {name} | {n} | {orr}% | {pfs} | {c} |")
    return "\n".join(rows_zh), "\n".join(rows_en)


def _pair(zh: str, en: str, anchor: str = "") -> str:
    a = f" #{anchor}" if anchor else ""
    return f"::: zh{a}\n{zh}\n\n::: en\n{en}\n"


def _records_table(rng: random.Random, trial_ids: list[str]) -> str:
    ids = rng.sample(trial_ids, min(len(trial_ids), rng.randint(3, 6)))
    cols = rng.choice([["name", "phase", "arms", "ORR", "PFS", "refs"], ["name", "design", "patients", "OS", "refs"],
                       ["name", "registry", "settings", "DCR", "refs"]])
    return f"```records\ntype: trials\nids: [{', '.join(ids)}]\ncolumns: [{', '.join(cols)}]\n```"


def _section_body(rng: random.Random, number: int, cites: _Cites, trial_names: list[str], trial_ids: list[str]) -> str:
    pairs = []
    zh, en = _paragraph(rng, cites, trial_names, rng.randint(1, 3))
    pairs.append(_pair(zh, en))
    for sub in range(1, rng.randint(3, 5)):
        hz, he = rng.choice(HEADINGS)
        pairs.append(_pair(f"## {number}.{sub} {hz}", f"## {number}.{sub} {he}"))
        for _ in range(rng.randint(2, 4)):
            r = rng.random()
            if r < 0.58:
                zh, en = _paragraph(rng, cites, trial_names, rng.randint(1, 4))
            elif r < 0.66:
                zh, en = _table(rng, cites, trial_names)
            elif r < 0.72 and trial_ids:
                zh = en = _records_table(rng, trial_ids)
            elif r < 0.80:
                items = [_sentence(rng, trial_names) for _ in range(rng.randint(3, 5))]
                groups = [cites.cite() for _ in items]
                zh = "\n".join(f"- {z}{c}。" for (z, _), c in zip(items, groups))
                en = "\n".join(f"- {e} {c}." for (_, e), c in zip(items, groups))
            elif r < 0.88:
                c = cites.cite()
                zh = f"!!! note \"要点\"\n    TACE联合PD-1抑制剂与TKI的三联方案在中期 HCC 中显示出较高的 ORR{c}。"
                en = f"!!! note \"Key point\"\n    Triple therapy with TACE, a PD-1 inhibitor and a TKI showed a high ORR in intermediate-stage HCC {c}."
            elif r < 0.94:
                c = cites.cite()
                v = rng.randint(10, 60)
                zh = f"!!! editor\n    原文此处的 ORR 数值与原始文献不一致，原始报告为 {v}%{c}。"
                en = f"!!! editor\n    The ORR printed here differs from the primary report, which gives {v}% {c}."
            else:
                zh, en = _paragraph(rng, cites, trial_names, 1)
                zh += "[^1]\n\n[^1]: 疗效按 mRECIST 标准评估。"
                en += "[^1]\n\n[^1]: Response was assessed by mRECIST."
            pairs.append(_pair(zh, en))
        if rng.random() < 0.3:
            hz, he = rng.choice(HEADINGS)
            pairs.append(_pair(f"### {number}.{sub}.1 {hz}（续）", f"### {number}.{sub}.1 {he} (continued)"))
            zh, en = _paragraph(rng, cites, trial_names, 2)
            pairs.append(_pair(zh, en))
    return "\n".join(pairs)


def _front(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def _reviews(rng: random.Random, n_sections: int, cites: _Cites, trial_names: list[str],
             trial_ids: list[str]) -> list[dict]:
    n_reviews = max(1, -(-n_sections // SECTIONS_PER_REVIEW))
    reviews = []
    left = n_sections
    for r in range(n_reviews):
        count = -(-left // (n_reviews - r))
        left -= count
        rid = f"review-{r + 1:02d}"
        tz, te = REVIEW_TOPICS[r % len(REVIEW_TOPICS)]
        authors = [{"zh": f"{rng.choice(SURNAMES_HAN)}{rng.choice(GIVEN_HAN)}",
                    "en": f"{rng.choice(GIVEN_PINYIN)} {rng.choice(SURNAMES_PINYIN)}"} for _ in range(rng.randint(2, 5))]
        authors[0]["corresponding"] = True
        front = {"id": rid, "order": r + 1, "title": {"zh": f"{tz}（{r + 1}）", "en": f"{te} ({r + 1})"},
                 "authors": authors, "affiliation": {"zh": "某大学附属医院肝胆外科", "en": "Department of Hepatobiliary Surgery, a university hospital"},
                 "journal": {"zh": "临床医学进展", "en": "Advances in Clinical Medicine"}, "year": 2020 + r % 6,
                 "volume": str(10 + r), "issue": str(1 + r % 12), "pages": f"{100 + r}-{120 + r}",
                 "doi": f"10.12677/acm.2026.{1651000 + r}", "license": "CC-BY-4.0",
                 "keywords": {"zh": ["肝细胞癌", "免疫治疗", "介入治疗"], "en": ["hepatocellular carcinoma", "immunotherapy", "interventional therapy"]}}
        abstract = "\n".join(_pair(z, e) for z, e in (_paragraph(rng, cites, [], 0) for _ in range(2)))
        files = {}
        for s in range(count):
            tz2, te2 = SECTION_TITLES[s % len(SECTION_TITLES)]
            sid = f"s{s + 1:02d}-{te2.lower().replace(' ', '-')}"
            sid = "".join(c for c in sid if c.isalnum() or c == "-")
            fm = {"id": sid, "order": s + 1, "number": str(s + 1),
                  "title": {"zh": tz2 if s < len(SECTION_TITLES) else f"{tz2}（{s + 1}）",
                            "en": te2 if s < len(SECTION_TITLES) else f"{te2} ({s + 1})"}}
            files[f"{s + 1:02d}-{sid}.md"] = _front(fm) + "\n" + _section_body(rng, s + 1, cites, trial_names, trial_ids)
        notes = _front({"id": "editor-notes", "order": 99, "number": "", "kind": "editor-notes",
                        "title": {"zh": "编者注", "en": "Editor's notes"}})
        notes += "\n" + _pair("编者注由本站编者所加，用于指出原文中的明显错误。全部编者注列于本页末尾。",
                              "Editor's notes are our own annotations; all of them are listed at the end of this page.")
        files["editor-notes.md"] = notes
        reviews.append({"id": rid, "front": front, "abstract": abstract, "files": files})
    return reviews


def build_corpus(size: str, seed: int = 20261121) -> Corpus:
    spec = SIZES[size]
    rng = random.Random(f"{seed}:{spec['sections']}:{spec['trials']}:{spec['refs']}")
    refs = _refs(rng, spec["refs"])
    keys = [r.key for r in refs]
    n_reviews = max(1, -(-spec["sections"] // SECTIONS_PER_REVIEW))
    review_ids = [f"review-{r + 1:02d}" for r in range(n_reviews)]
    regimens, trials = _regimens_and_trials(rng, spec["trials"], keys, review_ids)
    cites = _Cites(rng, keys)
    reviews = _reviews(rng, spec["sections"], cites, [t["name"] for t in trials], [t["id"] for t in trials])
    return Corpus(refs, trials, regimens, reviews)


# ---------------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------------


def _renamer(keymap: dict[str, str], names: dict[str, str]):
    """The text of a copy: every cited key and every trial name renamed."""
    import re
    if not keymap:
        return lambda text: text
    key_rx = re.compile(r"@([\w:.+-]+)")
    name_rx = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))) if names else None

    suffix = next(iter(names.values())).rsplit(" ", 1)[1].lower() if names else ""
    ids_rx = re.compile(r"^ids: \[(.*)\]$", re.M)

    def rename(text: str) -> str:
        text = key_rx.sub(lambda m: "@" + keymap.get(m.group(1), m.group(1)), text)
        text = ids_rx.sub(lambda m: "ids: [" + ", ".join(f"{i}-{suffix}" for i in m.group(1).split(", ")) + "]", text)
        if name_rx is not None:
            text = name_rx.sub(lambda m: names[m.group(0)], text)
        return text
    return rename


def _copy_base(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "site_overrides", dest / "site_overrides")


def write_corpus(corpus: Corpus, dest: Path, copies: int = 1) -> dict[str, int]:
    """Write the corpus (``copies`` times, renamed) as a complete project; return its counts."""
    _copy_base(dest)
    content = dest / "content"
    content.mkdir()
    glossary = ROOT / "content" / "glossary.md"
    if glossary.exists():
        shutil.copy(glossary, content / "glossary.md")
    for kind in ("trials", "regimens", "drugs"):
        (content / kind).mkdir()
    for d in DRUGS:
        fm: dict = {"id": d[0]}
        if d[3] != "procedure":
            fm["inn"] = d[0]
        fm["name"] = {"zh": d[1], "en": d[2]}
        fm["class"] = d[3]
        if d[4]:
            fm["abbr"] = d[4]
        (content / "drugs" / f"{d[0]}.md").write_text(_front(fm), encoding="utf-8")
    bib_parts = ["% Synthetic bibliography of the benchmark corpus (bench/corpus.py).\n"]
    counts = {"sections": 0, "reviews": 0, "trials": 0, "regimens": 0, "refs": 0, "citations": 0, "bytes": 0}
    for copy in range(copies):
        sfx = "" if copy == 0 else f"-c{copy + 1}"
        keymap = {r.key: r.key + sfx.replace("-", "") for r in corpus.refs} if sfx else {}
        idmap = {}
        if sfx:
            idmap.update({t["id"]: t["id"] + sfx for t in corpus.trials})
            idmap.update({g["id"]: g["id"] + sfx for g in corpus.regimens})
        names = {t["name"]: f"{t['name']} C{copy + 1}" for t in corpus.trials} if sfx else {}
        rename = _renamer(keymap, names)
        for r in corpus.refs:
            bib_parts.append("\n" + r.text.replace("{KEY}", keymap.get(r.key, r.key)))
        counts["refs"] += len(corpus.refs)
        for g in corpus.regimens:
            fm = dict(g)
            fm["id"] = idmap.get(g["id"], g["id"])
            fm["trials"] = [idmap.get(t, t) for t in g["trials"]]
            (content / "regimens" / f"{fm['id']}.md").write_text(_front(fm), encoding="utf-8")
        counts["regimens"] += len(corpus.regimens)
        for t in corpus.trials:
            fm = {k: v for k, v in t.items() if not k.startswith("_")}
            if sfx:
                fm["id"] = idmap[t["id"]]
                fm["name"] = names[t["name"]]
                if "registry" in fm:
                    fm["registry"] = [f"NCT{int(x[3:]) + 70000000 * copy:08d}" for x in fm["registry"]]
                fm["arms"] = [{**a, "regimen": idmap[a["regimen"]]} for a in t["arms"]]
                if "sequence" in fm:
                    fm["sequence"] = t["sequence"]  # drug ids are shared by the copies
                fm["endpoints"] = [{**e, "arm": idmap[e["arm"]], "source": keymap[e["source"]]} for e in t["endpoints"]]
                fm["refs"] = [keymap[k] for k in t["refs"]]
                if "status" in fm:
                    fm["status"] = [{**st, "review": st["review"] + sfx} for st in fm["status"]]
            body = "\n" + "\n".join(_pair(rename(z), rename(e)) for z, e in t["_notes"]) if t["_notes"] else ""
            (content / "trials" / f"{fm['id']}.md").write_text(_front(fm) + body, encoding="utf-8")
        counts["trials"] += len(corpus.trials)
        for rv in corpus.reviews:
            rid = rv["id"] + sfx
            folder = content / rid
            folder.mkdir()
            front = dict(rv["front"], id=rid, order=rv["front"]["order"] + 100 * copy)
            (folder / "index.md").write_text(_front(front) + "\n" + rename(rv["abstract"]), encoding="utf-8")
            for name, text in rv["files"].items():
                text = rename(text)
                (folder / name).write_text(text, encoding="utf-8")
                if name != "editor-notes.md":
                    counts["sections"] += 1
                    counts["citations"] += text.count("@") // 2  # each key is cited in both languages
            counts["reviews"] += 1
    (dest / "refs.bib").write_text("".join(bib_parts), encoding="utf-8")
    counts["bytes"] = sum(p.stat().st_size for p in content.rglob("*.md")) + (dest / "refs.bib").stat().st_size
    return counts


def generate(dest: Path, size: str, seed: int = 20261121) -> dict[str, int]:
    """Write the synthetic project of ``size`` (a key of :data:`SIZES`) into ``dest``."""
    return write_corpus(build_corpus(size, seed), dest, SIZES[size]["copies"])


def real(dest: Path) -> dict[str, int]:
    """A copy of the repository's own project (content, refs.bib, mkdocs.yml, site_overrides)."""
    _copy_base(dest)
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copy(ROOT / "refs.bib", dest / "refs.bib")
    content = dest / "content"
    reviews = [p for p in content.iterdir() if p.is_dir() and (p / "index.md").exists()]
    sections = [p for r in reviews for p in r.glob("[0-9][0-9]-*.md")]
    text = (dest / "refs.bib").read_text(encoding="utf-8")
    return {
        "reviews": len(reviews), "sections": len(sections),
        "trials": len(list((content / "trials").glob("*.md"))) if (content / "trials").is_dir() else 0,
        "regimens": len(list((content / "regimens").glob("*.md"))) if (content / "regimens").is_dir() else 0,
        "refs": sum(1 for line in text.split("\n") if line.startswith("@")),
        "citations": sum(p.read_text(encoding="utf-8").count("[@") for p in sections) // 2,
        "bytes": sum(p.stat().st_size for p in content.rglob("*.md")) + len(text.encode()),
    }


# ---------------------------------------------------------------------------------------------------------------
# The citation case: 50 pages, 4,000 citations, a 10,000-entry refs.bib
# ---------------------------------------------------------------------------------------------------------------


def citation_case(dest: Path, *, pages: int = 50, citations: int = 4000, entries: int = 10000,
                  seed: int = 20261121) -> dict[str, Path]:
    """Write three projects over the same pages: 'plain' (no citation processing: the keys stay as
    text), 'bibtex' (mkdocs-bibtex, its pybtex path) and 'ours' (the generator, one review of
    pages/2 sections, so pages/2 pages per language), plus 'ours-nocite' (ours with the citations
    taken out and an empty refs.bib: the baseline of our citation overhead).

    ``citations`` counts cited keys (a ``[@a; @b]`` group counts 2), spread evenly over the pages.
    """
    rng = random.Random(f"{seed}:cite:{pages}:{citations}:{entries}")
    refs = _refs(rng, entries)
    keys = [r.key for r in refs]
    bib = "".join("\n" + r.text.replace("{KEY}", r.key) for r in refs)
    per_page = citations // pages
    n_sections = pages // 2
    # One section per two pages (zh + en); the pages of a section cite the same keys, in the same places.
    sections = []
    for s in range(n_sections):
        pairs = []
        left = per_page
        while left > 0:
            zh_parts, en_parts = [], []
            for _ in range(rng.randint(4, 6)):
                if left <= 0:
                    break
                zh, en = _sentence(rng, [])
                k = min(left, rng.choice([1, 1, 1, 2, 3]))
                left -= k
                group = "[" + "; ".join(f"@{rng.choice(keys)}" for _ in range(k)) + "]"
                zh_parts.append(f"{zh}{group}。")
                en_parts.append(f"{en} {group}.")
            pairs.append(("".join(zh_parts), " ".join(en_parts)))
        sections.append(pairs)
    out: dict[str, Path] = {}
    # plain and bibtex: one markdown file per page, as an author using those tools would write it
    for variant in ("plain", "bibtex"):
        proj = dest / variant
        if proj.exists():
            shutil.rmtree(proj)
        (proj / "docs").mkdir(parents=True)
        for s, pairs in enumerate(sections):
            for lang, i in (("zh", 0), ("en", 1)):
                body = "\n\n".join(p[i] for p in pairs)
                (proj / "docs" / f"{lang}-{s + 1:02d}.md").write_text(f"# {lang} {s + 1}\n\n{body}\n", encoding="utf-8")
        (proj / "docs" / "index.md").write_text("# Citation case\n", encoding="utf-8")
        cfg = {"site_name": "Citation case", "theme": {"name": "material", "font": False},
               "markdown_extensions": ["footnotes", "attr_list", "tables"], "plugins": []}
        if variant == "bibtex":
            (proj / "refs.bib").write_text(bib, encoding="utf-8")
            cfg["plugins"] = [{"bibtex": {"bib_file": "refs.bib"}}]
        (proj / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
        out[variant] = proj
    # ours: a review of n_sections sections; with and without the citations
    import re
    for variant in ("ours", "ours-nocite"):
        proj = dest / variant
        _copy_base(proj)
        content = proj / "content" / "cases"
        content.mkdir(parents=True)
        front = {"id": "cases", "order": 1, "title": {"zh": "引用测试", "en": "Citation case"}}
        (content / "index.md").write_text(_front(front) + "\n" + _pair("摘要。", "Abstract."), encoding="utf-8")
        for s, pairs in enumerate(sections):
            fm = {"id": f"page-{s + 1:02d}", "order": s + 1, "number": str(s + 1),
                  "title": {"zh": f"第 {s + 1} 页", "en": f"Page {s + 1}"}}
            body = "\n".join(_pair(z, e) for z, e in pairs)
            if variant == "ours-nocite":
                body = re.sub(r" ?\[@[^\]]*\]", "", body)
            (content / f"{s + 1:02d}-page-{s + 1:02d}.md").write_text(_front(fm) + "\n" + body, encoding="utf-8")
        (proj / "refs.bib").write_text(bib if variant == "ours" else "% no references\n", encoding="utf-8")
        out[variant] = proj
    return out


if __name__ == "__main__":  # python bench/corpus.py SIZE DEST
    import sys
    print(generate(Path(sys.argv[2]), sys.argv[1]))
