"""A network that goes silent: no packet reaches the team server and nothing says so.

Wi-Fi lost on a train, a VPN dropped, a cable pulled at a switch: unlike a server
that stops (its connections end at once, `test_ui_offline.py`), a silent network
leaves every connection looking open. Here an iptables rule drops every packet
to this module's own server on loopback, which is what a client sees then. The
listener must notice within seconds, reads and saves must be refused at once
rather than wait on the network, the window must say so and stay usable, and
everything must work again once the packets flow.

Dropping packets needs root and iptables (`packaging/bootstrap.sh test` installs
it); without root the module is skipped, as nothing can be dropped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from conftest import DEMO_TODAY
from office_support import absent

from planner.persistence.database import Database, open_database
from planner.persistence.errors import OfflineError
from planner.services.demo import create_demo
from planner.services.planning import PlanService
from planner.ui.team import OFFLINE
from planner.ui.unreadable import NOT_READ_OFFLINE
from tests.ui_support import team_window

WAIT_MS = 20_000
"""How long noticing may take: keepalives after 3 s of quiet, three a second apart."""

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="dropping packets to a server needs root (iptables)"
)


def _iptables() -> str:
    found = shutil.which("iptables")
    if found is None:
        absent("iptables is not installed (Debian package iptables)")
        raise AssertionError("unreachable")
    return found


@pytest.fixture
def silence(own_server) -> Iterator[object]:
    """A switch for the network to the server: `with silence():` drops every packet sent
    to its port, and lets them through again when the block ends, whatever happens."""
    program = _iptables()
    rule = ["INPUT", "-i", "lo", "-p", "tcp", "--dport", str(own_server.port), "-j", "DROP"]
    added: list[bool] = []

    @contextmanager
    def dropped() -> Iterator[None]:
        done = subprocess.run([program, "-A", *rule], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            absent(f"iptables cannot drop packets here ({done.stderr.strip()})")
        added.append(True)
        try:
            yield
        finally:
            subprocess.run([program, "-D", *rule], capture_output=True, check=False)
            added.pop()

    yield dropped
    while added:  # a test that failed inside the block has had it lifted already
        subprocess.run([program, "-D", *rule], capture_output=True, check=False)
        added.pop()


@pytest.fixture
def plan(own_server) -> Iterator[tuple[str, Database]]:
    url = own_server.create()
    db = open_database(url)
    create_demo(PlanService(db), today=DEMO_TODAY)
    yield url, db
    db.close()
    own_server.drop(url)


def _stored_name(url: str, record_id: str) -> str:
    with psycopg.connect(url, connect_timeout=5) as check:
        row = check.execute("SELECT name FROM stakeholder WHERE id = %s", (record_id,)).fetchone()
    assert row is not None
    return str(row[0])


def test_the_listener_notices_a_silent_network_and_reads_are_refused_at_once(plan, silence):
    url, db = plan
    service = PlanService(db)
    initiative = service.initiatives()[0].id
    person = service.list("stakeholder", initiative)[0]
    lost, back = threading.Event(), threading.Event()
    said: list[str] = []
    listener = db.listen(
        lambda _change: None, lambda detail: (said.append(detail), lost.set()), back.set
    )
    assert listener is not None
    try:
        with silence():
            assert lost.wait(WAIT_MS / 1000), "a silent network was never noticed"
            assert said and "\n" not in said[0]
            with pytest.raises(OfflineError) as refused:
                service.list("stakeholder", initiative)
            assert str(refused.value) == (
                f"{db.describe()}: the team server cannot be reached; nothing new was read"
            )
            with pytest.raises(OfflineError):
                service.update("stakeholder", person.id, {"name": "Not now"})
            assert not back.is_set()
        assert back.wait(WAIT_MS / 1000), "the listener never came back"
        assert db.offline is None
        assert service.list("stakeholder", initiative)[0].id == person.id
        service.update("stakeholder", person.id, {"name": "After the tunnel"})
        assert _stored_name(url, person.id) == "After the tunnel"
    finally:
        listener.stop()


def test_the_window_says_offline_keeps_what_it_showed_and_reads_again_once_back(
    qtbot, plan, silence, tmp_path: Path
):
    _url, db = plan
    window = team_window(qtbot, db, tmp_path / "ann")
    people = window.show_page("stakeholders")
    shown = people.proxy.rowCount()
    assert shown > 0
    assert window.pages.built("communications") is None

    with silence():
        qtbot.waitUntil(window.live.banner.isVisible, timeout=WAIT_MS)
        assert window.live.banner.text() == OFFLINE
        assert people.proxy.rowCount() == shown  # what it showed stays
        # A page never read is not read now: the window says so at once and stays usable.
        messages = window.show_page("communications")
        assert window.unreadable.isVisible()
        assert window.unreadable.text() == NOT_READ_OFFLINE
        assert messages.proxy.rowCount() == 0
        window.show_page("stakeholders")
        assert people.proxy.rowCount() == shown

    qtbot.waitUntil(lambda: not window.live.banner.isVisible(), timeout=WAIT_MS)
    assert window.message_label.text().startswith("Back online")
    window.show_page("communications")
    qtbot.waitUntil(lambda: messages.proxy.rowCount() > 0)
    assert not window.unreadable.isVisible()
    expected = len(window.service.list("communication", window.ctx.initiative_id))
    assert messages.proxy.rowCount() == expected
