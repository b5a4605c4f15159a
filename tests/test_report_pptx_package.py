"""The PowerPoint pack as a package: nothing in it that makes PowerPoint offer to repair the file.

PowerPoint cannot run here. What it is known to reject, or to open only after
"PowerPoint found a problem with content … Repair", is checked on the package
itself: a part without a content type, a relationship whose target is missing,
an r:id or r:embed that no relationship defines, two shapes with the same id on
one slide, slide ids outside 256 … 2**31-1 or repeated, a slide size outside
1 … 56 inches, a table row whose cell count differs from its grid, a picture of
zero size or that is no image, and XML that a strict parser refuses. Then the
file must survive python-pptx opening, saving and opening again unchanged.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation

from planner.persistence.database import open_database
from planner.services.demo import create_demo
from planner.services.planning import PlanService
from planner.services.report import write_report
from tests.conftest import DEMO_TODAY

TODAY = date(2026, 12, 2)
NS = {
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMU_PER_INCH = 914400


class Package:
    """The zip's parts, parsed strictly, with each part's relationships."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            self.raw = {name: archive.read(name) for name in archive.namelist()}
        parser = etree.XMLParser(resolve_entities=False, recover=False)
        self.xml = {
            name: etree.fromstring(data, parser)
            for name, data in self.raw.items()
            if name.endswith((".xml", ".rels"))
        }

    def rels(self, part: str) -> dict[str, etree._Element]:
        folder, name = posixpath.split(part)
        rels = self.xml.get(posixpath.join(folder, "_rels", f"{name}.rels"))
        if rels is None:
            return {}
        return {r.get("Id"): r for r in rels.findall("rel:Relationship", NS)}

    @staticmethod
    def target(part: str, relationship: etree._Element) -> str:
        target = relationship.get("Target")
        if target.startswith("/"):
            return target[1:]
        return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))

    def slides(self) -> list[str]:
        return sorted(
            n for n in self.xml if n.startswith("ppt/slides/slide") and n.endswith(".xml")
        )


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo's pack, written once for the module (a pack takes seconds to draw)."""
    folder = tmp_path_factory.mktemp("pptx-package")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANNER_DATA_DIR", str(folder / "userdata"))
        database = open_database(folder / "plan.db")
        try:
            service = PlanService(database)
            create_demo(service, today=DEMO_TODAY)
            plan = service.plan(service.initiatives()[0].id)
            yield write_report(plan, folder / "pack.pptx", today=TODAY)
        finally:
            database.close()


def test_every_part_has_a_content_type(pack):
    package = Package(pack)
    types = package.xml["[Content_Types].xml"]
    defaults = {d.get("Extension").lower() for d in types.findall("ct:Default", NS)}
    overrides = {o.get("PartName").lstrip("/") for o in types.findall("ct:Override", NS)}
    for name in package.raw:
        if name == "[Content_Types].xml" or name.endswith("/"):
            continue
        assert name in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name
    assert overrides <= set(package.raw), "an override names a part that is not there"


def test_every_relationship_points_at_a_part_and_every_reference_is_defined(pack):
    package = Package(pack)
    for name, root in package.xml.items():
        if name.endswith(".rels"):
            continue
        rels = package.rels(name)
        for rel in rels.values():
            if rel.get("TargetMode") != "External":
                assert package.target(name, rel) in package.raw, (name, rel.get("Target"))
        used = {
            value
            for element in root.iter()
            for key, value in element.attrib.items()
            if key.startswith(f"{{{R}}}")
        }
        assert used <= set(rels), f"{name} uses undefined relationships {used - set(rels)}"


def test_shape_ids_are_unique_on_each_slide(pack):
    package = Package(pack)
    for slide in package.slides():
        ids = [int(e.get("id")) for e in package.xml[slide].iter(f"{{{NS['p']}}}cNvPr")]
        assert ids and min(ids) > 0
        repeated = [i for i, n in Counter(ids).items() if n > 1]
        assert not repeated, f"{slide} repeats shape ids {repeated}"


def test_slide_ids_and_size_are_in_powerpoints_range(pack):
    package = Package(pack)
    presentation = package.xml["ppt/presentation.xml"]
    ids = [int(s.get("id")) for s in presentation.iterfind("p:sldIdLst/p:sldId", NS)]
    assert len(ids) == len(set(ids)) == len(package.slides())
    assert all(256 <= i < 2**31 for i in ids)
    size = presentation.find("p:sldSz", NS)
    for axis in ("cx", "cy"):
        assert EMU_PER_INCH <= int(size.get(axis)) <= 56 * EMU_PER_INCH


def test_tables_have_as_many_cells_per_row_as_grid_columns(pack):
    package = Package(pack)
    tables = 0
    for slide in package.slides():
        for table in package.xml[slide].iter(f"{{{NS['a']}}}tbl"):
            tables += 1
            columns = len(table.findall("a:tblGrid/a:gridCol", NS))
            for row in table.findall("a:tr", NS):
                assert len(row.findall("a:tc", NS)) == columns, slide
    assert tables > 0


def test_pictures_are_images_of_some_size(pack):
    package = Package(pack)
    pictures = 0
    for slide in package.slides():
        rels = package.rels(slide)
        for picture in package.xml[slide].iter(f"{{{NS['p']}}}pic"):
            pictures += 1
            blip = picture.find(".//a:blip", NS)
            target = package.target(slide, rels[blip.get(f"{{{R}}}embed")])
            assert package.raw[target][:8] == b"\x89PNG\r\n\x1a\n", target
            extent = picture.find("p:spPr/a:xfrm/a:ext", NS)
            assert int(extent.get("cx")) > 0 and int(extent.get("cy")) > 0
    assert pictures > 0, "the charts are pictures"


def test_python_pptx_saves_and_reopens_it_unchanged(pack, tmp_path):
    first = Presentation(str(pack))
    again = tmp_path / "again.pptx"
    first.save(str(again))
    second = Presentation(str(again))

    def texts(presentation) -> list[list[str]]:
        return [
            [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
            for slide in presentation.slides
        ]

    assert len(second.slides) == len(first.slides)
    assert texts(second) == texts(first)
