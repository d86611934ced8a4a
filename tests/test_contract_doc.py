"""docs/contract.md stays the contract of this code: every refusal's exact words, every setting and every
staff command are in it, and every citation of it (`docs/contract.md, "Section"`) and every link in it
names a section that exists."""
import re
from dataclasses import fields
from pathlib import Path

from access import refusals
from apiproject.config import ProjectConfig

PROJECT = Path(__file__).resolve().parent.parent
CONTRACT = PROJECT / "docs" / "contract.md"
CITATION = re.compile(r'docs/contract\.md, "([^"]+)"')
CITING = ("*.py", "*.md", "*.html", "*.txt")
EXAMPLES = {CONTRACT, Path(__file__).resolve()}  # they show the form of a citation, "Section" and all


def contract_text():
    return CONTRACT.read_text()


def headings():
    return [line.lstrip("#").strip() for line in contract_text().splitlines() if line.startswith("#")]


def section(title):
    """The text of one `##` section, up to the next `##` heading."""
    text = contract_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else len(text)]


def anchor(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.lower()).replace(" ", "-")


def all_refusals(cls=refusals.Refusal):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_refusals(sub)


def test_every_refusal_is_in_the_contract_in_its_exact_words():
    text = contract_text()
    missing = {f"{refusal.__name__}: {words!r}" for refusal in all_refusals()
               for words in (refusal.message, refusal.additional) if words and f"`{words}`" not in text}
    assert missing == set()


def test_every_setting_is_in_the_configuration_table():
    table = section("Configuration")
    missing = {setting.name for setting in fields(ProjectConfig) if f"`{setting.name}`" not in table}
    assert missing == set()


def test_every_staff_command_is_in_the_contract():
    commands = {path.stem for path in PROJECT.glob("*/management/commands/*.py") if path.stem != "__init__"}
    table = section("Staff command line")
    assert commands and {name for name in commands if f"`{name}" not in table} == set()


def test_every_citation_names_a_section():
    titles = set(headings())
    cited = {}
    for pattern in CITING:
        for path in PROJECT.rglob(pattern):
            if {".venv", "node_modules", ".git"} & set(path.relative_to(PROJECT).parts) or path in EXAMPLES:
                continue
            for title in CITATION.findall(path.read_text(errors="replace")):
                cited.setdefault(title, str(path.relative_to(PROJECT)))
    assert cited, "nothing cites docs/contract.md"
    assert {title: where for title, where in cited.items() if title not in titles} == {}


def test_every_link_inside_the_contract_names_a_section():
    anchors = {anchor(title) for title in headings()}
    links = set(re.findall(r"\]\(#([^)]+)\)", contract_text()))
    assert links and links - anchors == set()


def test_the_readme_links_the_contract():
    assert "(docs/contract.md)" in (PROJECT / "README.md").read_text()
