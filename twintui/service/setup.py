"""Setting up the store service on a machine (``twintui setup-service``, as root): each step, done once.

The service's user (a system user: no login shell, no home), the socket's group, the store's folder
(0700, the service user's: the store, its audit log, backups and access file inside), the first
maintainer, an existing store moved in, and the systemd unit. Every step looks first at what is
there: what is right already is kept (so running it again changes nothing), and what would have to
be replaced is refused, never overwritten. Decisions:

- ``root`` prefixes every path (the store's folder, the socket's, the unit's), so an image, or a
  test, can be prepared without touching ``/etc`` or ``/var``; the user and the group are the
  machine's in any case (there is only one password database).
- A store moved in (``--from``) is copied with its audit log and backups (files read without
  following links, as ``core.files`` does everywhere), the copy is checked (``twintui check``:
  records, audit chain, each record against its last audited change), and only then are the
  originals removed: users who still have ``TWINTUI_DB`` set find no store instead of editing a copy
  no one reads. Its access file is not carried over: it sat where the group could replace it, or
  where the store's header pointed, and no data decides who administers the service. The first
  maintainer is appointed by root (``access.appoint``, audited); the maintainer grants the rest.
- The unit is written, and systemd told, only when systemd runs (and ``root`` is ``/``); otherwise
  the command to start the service by hand is printed. With another ``root`` the unit is written
  under it, for the image's systemd.
"""

from __future__ import annotations

import grp
import os
import pwd
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core import files
from ..core.errors import TwintuiError

Say = Callable[[str], None]
STORE_NAME = "twintui.json"


@dataclass(frozen=True)
class Layout:
    """Where everything goes, under ``root``."""

    root: Path
    user: str = "twintui"
    group: str = "twintui"

    def _at(self, path: str) -> Path:
        return self.root / path.lstrip("/")

    @property
    def folder(self) -> Path:
        return self._at("/var/lib/twintui")

    @property
    def store(self) -> Path:
        return self.folder / STORE_NAME

    @property
    def socket(self) -> Path:
        return self._at("/run/twintui/twintui.sock")

    @property
    def unit(self) -> Path:
        return self._at("/etc/systemd/system/twintui.service")

    @property
    def real(self) -> bool:
        return self.root == Path("/")


def twintui_command() -> list[str]:
    """How this twintui is started: its own command when run as one, else this python with ``-m twintui``."""
    started = Path(sys.argv[0]).absolute() if sys.argv and sys.argv[0] else None
    if started is not None and started.name == "twintui" and started.exists():
        return [str(started)]
    if found := shutil.which("twintui"):
        return [found]
    return [sys.executable, "-m", "twintui"]


def serve_command(layout: Layout, command: list[str]) -> list[str]:
    return [*command, "serve", "--store", str(layout.store), "--socket", str(layout.socket), "--group", layout.group]


def unit_text(layout: Layout, command: list[str]) -> str:
    """The systemd unit: the service as its user, with no way to gain privileges, a read-only system but for
    its folder, no homes, its own /tmp, files private by default, the socket's folder made by systemd."""
    return "\n".join([
        "# Made by twintui setup-service: the twintui store service (README: a shared server).",
        "[Unit]",
        "Description=twintui store service (the Twinning Register)",
        "",
        "[Service]",
        "Type=exec",
        f"User={layout.user}",
        f"Group={layout.group}",
        "ExecStart=" + shlex.join(serve_command(layout, command)),
        "Restart=on-failure",
        "RuntimeDirectory=" + layout.socket.parent.name,
        "RuntimeDirectoryMode=0755",
        "UMask=0077",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        f"ReadWritePaths={layout.folder}",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "PrivateDevices=yes",
        "PrivateNetwork=yes",  # the socket is a file: the service needs no network at all
        "RestrictAddressFamilies=AF_UNIX",
        "CapabilityBoundingSet=",
        "ProtectKernelTunables=yes",
        "ProtectKernelModules=yes",
        "ProtectControlGroups=yes",
        "RestrictSUIDSGID=yes",
        "LockPersonality=yes",
        "SystemCallArchitectures=native",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ])


def systemd_runs() -> bool:
    return Path("/run/systemd/system").is_dir()  # what sd_booted(3) looks at


def run(*argv: str) -> None:
    """A system command (groupadd, useradd, usermod, systemctl); its first line of complaint if it fails."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, check=False, timeout=60)
    except OSError as error:
        raise TwintuiError(f"could not run {argv[0]}: {error.strerror or error}") from None
    if done.returncode != 0:
        said = (done.stderr.strip() or done.stdout.strip() or f"exit {done.returncode}").splitlines()[0]
        raise TwintuiError(f"{shlex.join(argv)} failed: {said}")


# -- the user and the group -----------------------------------------------------------------------------

def ensure_group(layout: Layout, say: Say) -> int:
    try:
        gid = grp.getgrnam(layout.group).gr_gid
        say(f"group {layout.group}: there already (gid {gid})")
        return gid
    except KeyError:
        run("groupadd", "--system", layout.group)
        gid = grp.getgrnam(layout.group).gr_gid
        say(f"group {layout.group}: made (gid {gid}); its members may connect to the service")
        return gid


def nologin() -> str:
    return next((p for p in ("/usr/sbin/nologin", "/sbin/nologin") if os.path.exists(p)), "/bin/false")


def ensure_user(layout: Layout, gid: int, say: Say) -> pwd.struct_passwd:
    try:
        found = pwd.getpwnam(layout.user)
    except KeyError:
        run("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", nologin(),
            "--gid", str(gid), "--comment", "twintui store service", layout.user)
        found = pwd.getpwnam(layout.user)
        say(f"user {layout.user}: made (uid {found.pw_uid}, a system user: no login shell, no home)")
        return found
    if found.pw_shell not in ("/usr/sbin/nologin", "/sbin/nologin", "/bin/false") or found.pw_uid == 0:
        raise TwintuiError(f"the user {layout.user} exists and can log in (shell {found.pw_shell}); the service "
                           "needs a user of its own: give another --user, or remove that one; nothing was changed")
    if found.pw_gid != gid and layout.user not in grp.getgrgid(gid).gr_mem:
        run("usermod", "--append", "--groups", layout.group, layout.user)
        say(f"user {layout.user}: there already; added to the group {layout.group} (to give it the socket)")
    else:
        say(f"user {layout.user}: there already (uid {found.pw_uid})")
    return found


def ensure_member_exists(user: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(user)
    except KeyError:
        raise TwintuiError(f"there is no user {user} on this machine (make the maintainer's account first: "
                           f"adduser {user}); nothing was changed") from None


def ensure_member(layout: Layout, user: str, gid: int, say: Say) -> None:
    """``user`` may connect: a member of the socket's group."""
    found = ensure_member_exists(user)
    if found.pw_gid == gid or user in grp.getgrgid(gid).gr_mem:
        say(f"{user}: a member of {layout.group} already")
        return
    run("usermod", "--append", "--groups", layout.group, user)
    say(f"{user}: added to the group {layout.group} (they may connect from their next login)")


# -- folders ----------------------------------------------------------------------------------------------

def ensure_folder(path: Path, owner: pwd.struct_passwd, gid: int, mode: int, say: Say, what: str) -> None:
    """A folder ``owner``'s, of group ``gid`` and ``mode``: made, or kept as it is; anything else is refused."""
    path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    try:
        os.mkdir(path, mode)
    except FileExistsError:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            raise TwintuiError(f"{path} is there and is not a folder (or is a link); remove it first; nothing more "
                               "was changed") from None
        if (info.st_uid, info.st_mode & 0o7777) != (owner.pw_uid, mode):
            raise TwintuiError(f"{path} is there, owned by {_name(info.st_uid)} with mode {info.st_mode & 0o7777:04o}"
                               f"; the service needs it {owner.pw_name}'s with mode {mode:04o}: fix it or remove it; "
                               "nothing more was changed") from None
        say(f"{what} {path}: there already ({owner.pw_name}, {mode:04o})")
        return
    fd = files.open_folder(path, follow=False)
    try:
        os.fchown(fd, owner.pw_uid, gid)
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    say(f"{what} {path}: made ({owner.pw_name}, {mode:04o})")


def give_to(folder: Path, owner: pwd.struct_passwd) -> None:
    """Everything in the service's folder (made here by root) given to the service's user, never through a link."""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in [*dirnames, *filenames]:
            os.chown(os.path.join(dirpath, name), owner.pw_uid, owner.pw_gid, follow_symlinks=False)


def _name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"


def ensure_unit(layout: Layout, command: list[str], say: Say) -> None:
    """The systemd unit at ``layout.unit``: written, or kept when it says the same; one that differs is refused."""
    text = unit_text(layout, command)
    try:
        current = files.read_bytes(layout.unit, follow=False).decode("utf-8", "replace")
    except FileNotFoundError:
        current = None
    except files.FileError as error:
        raise TwintuiError(f"{error.message}; nothing more was changed") from None
    if current == text:
        say(f"systemd unit {layout.unit}: there already")
        return
    if current is not None:
        raise TwintuiError(f"the systemd unit {layout.unit} is there and differs from the one setup-service writes "
                           "(twintui setup-service --print-unit shows it): compare them, and remove the file to have "
                           "it written again; nothing more was changed")
    layout.unit.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    files.replace(layout.unit, text.encode(), mode=0o644)
    say(f"systemd unit {layout.unit}: written")
