"""`twintui serve`: what it refuses to start on, the socket it makes, and stopping on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

import pytest

from tests.service import running
from twintui.cli import main
from twintui.core import demo
from twintui.core.model import Arrangement
from twintui.core.store import Store, current_user
from twintui.service.client import ServiceUnavailable
from twintui.service.remote import RemoteStore


def serve(capsys: pytest.CaptureFixture[str], store: Path, sock: Path, *options: str) -> tuple[int, str, str]:
    code = main(["serve", "--store", str(store), "--socket", str(sock), *options])
    out = capsys.readouterr()
    return code, out.out, out.err


def private(tmp_path: Path) -> Path:
    """The service's folder, 0700, with the access file setup-service writes (this user its maintainer)."""
    folder = tmp_path / "srv"
    folder.mkdir(mode=0o700)
    (folder / "twintui.access.toml").write_text(f'maintainers = ["{current_user()}"]\n')
    return folder


@pytest.mark.parametrize("mode", [0o750, 0o2770, 0o701])
def test_a_store_folder_others_may_enter_is_refused_in_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                                 mode: int) -> None:
    folder = private(tmp_path)
    os.chmod(folder, mode)
    code, out, err = serve(capsys, folder / "twintui.json", tmp_path / "s.sock")
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert err == (f"twintui: the store service does not start: {folder} has mode {mode:04o}; it must be 0700 (only "
                   f"{current_user()} may enter it), so that only the service can reach the store, its audit log, "
                   "backups and access file\n")
    assert not (folder / "twintui.json").exists() and not (tmp_path / "s.sock").exists()


def test_a_store_folder_of_another_user_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user")
    folder = private(tmp_path)
    os.chown(folder, 65534, -1)  # nobody
    code, _, err = serve(capsys, folder / "twintui.json", tmp_path / "s.sock")
    assert code == 2 and f"{folder} is owned by nobody; it must be owned by {current_user()}" in err


@pytest.mark.parametrize(("access", "said"), [
    (None, "there is no access file {path}, so no one could administer it (and without one every client could "
           "change everything); make the first maintainer: twintui setup-service --maintainer USER"),
    ('maintainers = []\n[focal_points]\n"nor" = ["NOR"]\n', "no maintainer is named in the access file {path}"),
    ("maintainers = [", "the access file {path} is not valid TOML"),
])
def test_without_an_access_file_naming_a_maintainer_the_service_does_not_start(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, access: str | None, said: str) -> None:
    folder = private(tmp_path)
    path = folder / "twintui.access.toml"
    path.unlink()
    if access is not None:
        path.write_text(access)
    code, out, err = serve(capsys, folder / "twintui.json", tmp_path / "s.sock")
    assert (code, out) == (2, "") and err.count("\n") == 1, err
    assert err.startswith("twintui: the store service does not start: ") and said.format(path=path) in err
    assert not (tmp_path / "s.sock").exists() and not (folder / "twintui.json").exists()


def test_the_access_file_is_the_one_in_the_services_folder_whatever_the_header_pins(tmp_path: Path) -> None:
    """A store moved in whose header pins an access file elsewhere (one a group could write) is governed by the
    service's own file: no data in the store decides which file applies."""
    from twintui.core.store.policy import HEADER_KEY

    folder = private(tmp_path)
    planted = tmp_path / "planted.access.toml"
    planted.write_text(f'maintainers = []\nread_only = ["{current_user()}"]\n')
    store = Store.open(folder / "twintui.json")
    with store.storage.transaction():
        store.storage.header[HEADER_KEY] = str(planted)
        store.storage.write(store.storage.read() or {})
    service = running.start(folder / "twintui.json", tmp_path / "s.sock")
    try:
        client = RemoteStore.open(tmp_path / "s.sock")
        who = client.access()
        assert (who.path, who.role) == (folder / "twintui.access.toml", "maintainer")
        client.save(Arrangement(reporting_state="NOR", title="Allowed by the service's own file"), "test")
    finally:
        service.stop()


@pytest.mark.parametrize(("options", "said"), [
    (["--group", "no-such-group-here"], "there is no group no-such-group-here (create it: groupadd"),
    (["--db", "x.json"], "serve takes the store as --store PATH (not --db or --server)"),
])
def test_bad_options_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, options: list[str],
                                  said: str) -> None:
    code, _, err = serve(capsys, private(tmp_path) / "twintui.json", tmp_path / "s.sock", *options)
    assert code == 2 and said in err and err.count("\n") == 1


def test_a_socket_path_that_is_a_file_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    taken = tmp_path / "s.sock"
    taken.write_text("not a socket")
    code, _, err = serve(capsys, private(tmp_path) / "twintui.json", taken)
    assert code == 2 and f"{taken} exists and is not a socket" in err
    assert taken.read_text() == "not a socket"


def test_the_service_makes_its_socket_replaces_a_stale_one_and_stops_on_sigterm(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder, sock = private(tmp_path), tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as left:
        left.bind(str(sock))  # what a service that was killed leaves behind
    service = running.start(folder / "twintui.json", sock)
    assert os.lstat(sock).st_mode & 0o777 == 0o660
    assert (folder / "twintui.json").exists()  # a new store, started by the service
    # A second service on the same socket is refused: the first one answers there.
    code, _, err = serve(capsys, folder / "twintui.json", sock)
    assert code == 2 and f"another store service is listening on {sock}; stop it first" in err
    client = RemoteStore.open(sock)
    assert client.txn == 0
    code, out = service.stop(signal.SIGTERM)
    assert code == 0 and out.splitlines()[-1] == "serve: stopped", out
    assert out.splitlines()[0].startswith(f"serve: {folder / 'twintui.json'} on {sock} (group ")
    assert not sock.exists()
    # A client open meanwhile says the service is gone, and carries on when it is back.
    with pytest.raises(ServiceUnavailable, match="is not running"):
        client.txn  # noqa: B018 - the property asks the service
    demo.fill(Store.open(folder / "twintui.json"))
    service = running.start(folder / "twintui.json", sock)
    try:
        assert client.txn == 1 and client.count(Arrangement) == Store.open(folder / "twintui.json").count(Arrangement)
    finally:
        service.stop()
