"""The trial index (/zh/trials/, /en/trials/, assets/javascripts/records-table.js): sorting and
filtering with JavaScript, the full table without it."""

from __future__ import annotations

from pathlib import Path

import pytest

import browserkit as bk

ROOT = Path(__file__).resolve().parents[2]
TRIALS = sorted((ROOT / "content" / "trials").glob("*.md"))

pytestmark = pytest.mark.skipif(
    not (ROOT / "site" / "en" / "trials" / "index.html").exists() and not TRIALS,
    reason="the trial pages are not built yet (no content/trials)")

ROWS = "() => [...document.querySelectorAll('#trials-table tbody tr')].filter(r => !r.hidden).length"


@pytest.fixture
def trial_index(page, server, site, request):
    def open_index(lang: str):
        if not (site / lang / "trials" / "index.html").exists():
            pytest.skip(f"no trial index in this build (/{lang}/trials/)")
        bk.visit(page, server.url + f"/{lang}/trials/")
        page.locator("form.records-filter").wait_for(state="visible")
        return page
    return open_index


def column(page, index: int) -> list[str]:
    return page.evaluate("""i => [...document.querySelectorAll('#trials-table tbody tr')]
        .filter(r => !r.hidden).map(r => { const c = r.cells[i];
          return (c.getAttribute('data-sort') ?? c.textContent).trim(); })""", index)


def header_index(page, label: str) -> int:
    labels = page.evaluate("() => [...document.querySelectorAll('#trials-table thead th')].map(t => t.innerText.trim())")
    return next(i for i, t in enumerate(labels) if t.startswith(label))


@pytest.mark.parametrize("lang, figures", [("en", "Figures"), ("zh", "疗效数据")])
def test_sorts_by_a_column(trial_index, lang, figures):
    """A numeric column (the number of figures; the number of patients is on few records, and a column
    empty for most rows is left out of the index)."""
    page = trial_index(lang)
    total = page.evaluate(ROWS)
    assert total == len(TRIALS)
    i = header_index(page, figures)
    button = page.locator("#trials-table thead th").nth(i).locator("button.records-sort")
    button.click()
    assert page.locator("#trials-table thead th").nth(i).get_attribute("aria-sort") == "ascending"
    numbers = [float(v) for v in column(page, i) if v not in ("", "\u2014")]
    assert len(numbers) >= 5 and numbers == sorted(numbers)
    values = column(page, i)
    assert all(v in ("", "\u2014") for v in values[len(numbers):]), "empty cells sort last"
    button.click()
    assert page.locator("#trials-table thead th").nth(i).get_attribute("aria-sort") == "descending"
    numbers = [float(v) for v in column(page, i) if v not in ("", "\u2014")]
    assert numbers == sorted(numbers, reverse=True)
    assert page.evaluate(ROWS) == total  # sorting loses no row


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_filters_rows(trial_index, lang):
    page = trial_index(lang)
    total = page.evaluate(ROWS)
    page.select_option("form.records-filter select[name=phase]", "3")
    shown = page.evaluate(ROWS)
    assert 0 < shown < total
    phases = page.evaluate("""() => [...document.querySelectorAll('#trials-table tbody tr')]
        .filter(r => !r.hidden).map(r => r.getAttribute('data-phase'))""")
    assert set(phases) == {"3"}
    assert str(shown) in page.locator("form.records-filter .records-count").inner_text()
    page.select_option("form.records-filter select[name=drug]", "lenvatinib")
    both = page.evaluate(ROWS)
    assert 0 < both <= shown
    drugs = page.evaluate("""() => [...document.querySelectorAll('#trials-table tbody tr')]
        .filter(r => !r.hidden).map(r => r.getAttribute('data-drug').split(' '))""")
    assert all("lenvatinib" in d for d in drugs)
    page.locator("form.records-filter button[type=reset]").click()
    page.wait_for_function(f"() => ({ROWS})() === {total}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_full_table_without_javascript(browser, server, site, lang):
    if not (site / lang / "trials" / "index.html").exists():
        pytest.skip(f"no trial index in this build (/{lang}/trials/)")
    context = browser.new_context(java_script_enabled=False)
    try:
        p = context.new_page()
        bk.visit(p, server.url + f"/{lang}/trials/")
        assert p.evaluate(ROWS) == len(TRIALS)
        assert p.locator("#trials-table tbody tr").count() == len(TRIALS)
        assert not p.locator("form.records-filter").is_visible()  # a filter that cannot work is not shown
        assert p.locator("button.records-sort").count() == 0
        links = p.locator("#trials-table tbody th a")
        assert links.count() == len(TRIALS)
        assert p.locator("#trials-table").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("lang, label", [("en", "PD-1 inhibitor"), ("zh", "PD-1 抑制剂")])
def test_filters_by_drug_class(trial_index, lang, label):
    """"Every study of a PD-1 inhibitor": the class or target of the drugs (content/drugs, class:), in the
    page's language."""
    page = trial_index(lang)
    total = page.evaluate(ROWS)
    page.select_option("form.records-filter select[name=drugclass]", label=label)
    shown = page.evaluate(ROWS)
    assert 0 < shown < total
    classes = page.evaluate("""() => [...document.querySelectorAll('#trials-table tbody tr')]
        .filter(r => !r.hidden).map(r => r.getAttribute('data-drugclass').split(' '))""")
    assert all("pd-1" in c for c in classes)
    names = page.evaluate("""() => [...document.querySelectorAll('#trials-table tbody tr')]
        .filter(r => !r.hidden).map(r => r.querySelector('th').innerText.trim())""")
    assert "CheckMate 459" in names and "REFLECT" not in names  # nivolumab; lenvatinib alone
