"""Reading the reviews in Chromium: the language switcher, the parallel view, citation cards and
abbreviations."""

from __future__ import annotations

import re

import pytest

import browserkit as bk

HAN = re.compile(r"[\u3400-\u9fff]")
SECTION = "/{lang}/ici-hcc/combination-therapy/"
TACE = "4-4-1-transarterial-chemoembolization-tace"
HAIC = ("4-3-advances-in-hepatic-arterial-infusion-chemotherapy-haic-combined-with-targeted-therapy-and-"
        "immunotherapy")

# The element before ``el`` in the keyboard's tab order (so that one Tab reaches ``el``).
FOCUS_BEFORE = """el => {
  const all = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length);
  const i = all.indexOf(el);
  if (i < 1) return false;
  all[i - 1].focus();
  return document.activeElement === all[i - 1];
}"""


def tab_to(page, locator) -> None:
    """Reach ``locator`` with the keyboard: focus the element before it, press Tab."""
    assert locator.evaluate(FOCUS_BEFORE), "no focusable element before the target"
    page.keyboard.press("Tab")
    assert locator.evaluate("el => document.activeElement === el"), "Tab did not reach the element"


# ------------------------------------------------------------------------------------------------------------
# Language switcher
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("start, other", [("zh", "en"), ("en", "zh")])
def test_switcher_keeps_the_anchor_in_the_url(page, server, start, other):
    bk.visit(page, server.url + SECTION.format(lang=start) + "#" + TACE)
    with page.expect_navigation():
        page.locator("a[data-lang-switch]").click()
    assert page.url == server.url + SECTION.format(lang=other) + "#" + TACE
    heading = page.locator(f"[id='{TACE}']")
    assert heading.count() == 1
    assert heading.evaluate("el => el.matches(':target')")
    title = heading.inner_text()
    assert bool(HAN.search(title)) == (other == "zh"), title


def test_switcher_keeps_the_heading_being_read(page, server):
    """No anchor in the address: the switcher takes the heading (or the block under it) at the top."""
    bk.visit(page, server.url + "/en/interventional-hcc/clinical-progress/")
    page.locator(f"[id='{HAIC}']").evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(100)
    with page.expect_navigation():
        page.locator("a[data-lang-switch]").click()
    base, _, anchor = page.url.partition("#")
    assert base == server.url + "/zh/interventional-hcc/clinical-progress/"
    assert anchor.startswith(HAIC), anchor  # the heading, or one of its blocks (same ids in both languages)
    target = page.locator(f"[id='{anchor}']")
    assert target.count() == 1
    box = target.bounding_box()
    assert box is not None and -5 <= box["y"] < page.viewport_size["height"] / 2, box


def test_switcher_is_a_plain_link_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    try:
        p = context.new_page()
        bk.visit(p, server.url + SECTION.format(lang="zh"))
        href = p.locator("a[data-lang-switch]").get_attribute("href")
        p.locator("a[data-lang-switch]").click()
        p.wait_for_load_state()
        assert p.url.startswith(server.url + SECTION.format(lang="en")), (href, p.url)
    finally:
        context.close()


# ------------------------------------------------------------------------------------------------------------
# Parallel view
# ------------------------------------------------------------------------------------------------------------

ROWS = """() => [...document.querySelectorAll('.parallel .pair-row:not(.pair-head)')].map(row => {
  const cells = [...row.querySelectorAll(':scope > .pair-cell')];
  return {id: row.id, cells: cells.map(c => ({lang: c.lang, top: c.getBoundingClientRect().top,
    left: c.getBoundingClientRect().left, text: c.innerText.trim().length}))};
})"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_parallel_view_shows_aligned_pairs(page, server, lang):
    bk.visit(page, server.url + f"/{lang}/ici-hcc/combination-therapy/parallel/")
    rows = page.evaluate(ROWS)
    assert len(rows) >= 10
    for row in rows:
        assert [c["lang"] for c in row["cells"]] == ["zh-CN", "en"], row
        zh, en = row["cells"]
        assert zh["text"] and en["text"], row
        assert abs(zh["top"] - en["top"]) < 2, f"row {row['id']} is not aligned: {row}"
        assert zh["left"] < en["left"], row
    # each pair is the same block as on the section pages: its anchor is a block of the section
    bk.visit(page, server.url + f"/{lang}/ici-hcc/combination-therapy/")
    ids = set(page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))
    missing = [r["id"] for r in rows if r["id"] not in ids]
    assert not missing, f"parallel rows without their block on the section page: {missing[:5]}"


def test_parallel_view_stacks_on_a_phone(page, server):
    page.set_viewport_size(bk.PHONE)
    bk.visit(page, server.url + "/zh/ici-hcc/combination-therapy/parallel/")
    rows = page.evaluate(ROWS)
    for row in rows[:10]:
        zh, en = row["cells"]
        assert en["top"] > zh["top"], row  # English under Chinese


# ------------------------------------------------------------------------------------------------------------
# Citations
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_citation_card_on_hover(page, server, lang):
    bk.visit(page, server.url + SECTION.format(lang=lang))
    cite = page.locator(".cite").first
    number = cite.get_attribute("data-refs").split()[0]
    entry_text = page.locator(f"[id='ref-{number}'] .ref-text").inner_text()
    cite.hover()
    card = page.locator(".cite-card")
    card.wait_for(state="visible")
    assert entry_text[:40] in card.inner_text()
    assert cite.get_attribute("aria-describedby") == "cite-card"
    page.mouse.move(5, 5)
    card.wait_for(state="detached")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_citation_card_on_keyboard_focus_and_link_to_the_entry(page, server, lang):
    bk.visit(page, server.url + SECTION.format(lang=lang))
    link = page.locator(".cite a").first
    href = link.get_attribute("href")
    tab_to(page, link)
    card = page.locator(".cite-card")
    card.wait_for(state="visible")
    number = href.split("ref-")[1]
    assert page.locator(f"[id='ref-{number}'] .ref-text").inner_text()[:40] in card.inner_text()
    page.keyboard.press("Escape")
    card.wait_for(state="detached")
    page.keyboard.press("Enter")
    page.wait_for_function("h => location.hash === h", arg=href)
    entry = page.locator(f"[id='ref-{number}']")
    assert entry.evaluate("el => el.matches(':target')")
    box = entry.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"], box


# ------------------------------------------------------------------------------------------------------------
# Abbreviations
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_abbreviation_shows_its_definition(page, server, lang):
    bk.visit(page, server.url + SECTION.format(lang=lang))
    abbr = page.locator("article p abbr[title]").first
    title = abbr.get_attribute("title")
    assert title and bool(HAN.search(title)) == (lang == "zh"), title  # the definition in the page's language
    assert abbr.evaluate("el => getComputedStyle(el, '::after').content") in ("none", "normal")
    abbr.click()  # no tab stop (issue 21): a click or tap opens the tooltip
    shown = abbr.evaluate("el => getComputedStyle(el, '::after').content")
    assert shown == f'"{title}"', shown
    width = abbr.evaluate("el => parseFloat(getComputedStyle(el, '::after').width) || 0")
    assert width > 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_abbreviations_in_the_parallel_view_speak_their_column_language(page, server, lang):
    bk.visit(page, server.url + f"/{lang}/ici-hcc/combination-therapy/parallel/")
    titles = page.evaluate("""() => [...document.querySelectorAll('.pair-cell abbr[title]')]
        .map(a => [a.closest('.pair-cell').lang, a.title])""")
    wrong = [(col, t) for col, t in titles if bool(HAN.search(t)) != (col == "zh-CN")]
    assert not wrong, wrong[:5]
