"""Text from the data never acts on the reader's terminal; bad call files and paths are usage errors
(issue 15, items 12 and 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from twintui.cli import main
from twintui.core import demo
from twintui.core.compare import Comparison, records
from twintui.core.compare.demo import DEMO_NAME
from twintui.core.model import Arrangement
from twintui.core.store import Store

# Erase the line above and move up: a change the maintainer would never see.
ERASE = "\x1b[2K\x1b[1A"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("text") / "twintui.json"
    store = Store.open(path)
    demo.fill(store)
    nor = store.require(Arrangement, "TW-NOR-0001")
    store.save(nor.replace(title=f"Norway{ERASE} quietly", contact_phone=f"+47{ERASE}\u202eevil"), "test")
    hostile = Comparison.new(f"Choice{ERASE}", organisation=f"Org{ERASE}", candidates=[f"Cand{ERASE}", "Sweden"])
    records.save(store, hostile)
    return path


@pytest.mark.parametrize("argv", [["log", "--record", "TW-NOR-0001"], ["mou", "list"], ["compare", "list"],
                                  ["compare", "show", f"Choice{ERASE}"]])
def test_control_characters_from_the_data_are_printed_escaped(db: Path, argv: list[str],
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    main([*argv, "--db", str(db)])
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\u202e" not in out + err, out
    assert "\\x1b[2K\\x1b[1A" in out, out


@pytest.mark.parametrize("months", ['"eighteen"', "1e400", "-3", "true", "18.5"])
def test_a_call_file_with_a_bad_number_is_one_line_exit_2(db: Path, tmp_path: Path, months: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    call = tmp_path / "call.toml"
    call.write_text(f'id = "x"\n[[rules]]\nkind = "max_months"\nmonths = {months}\n')
    code = main(["mou", "check", "TW-NOR-0001", "--call", str(call), "--db", str(db)])
    out, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "'months' must be a whole number" in err and str(call) in err, err
    assert "Traceback" not in out + err


def test_compare_export_to_a_missing_folder_exits_2_like_every_other_command(db: Path, tmp_path: Path,
                                                                             capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "x.xlsx"
    codes = {}
    for argv in (["compare", "export", DEMO_NAME], ["export", "--all"], ["report"], ["template"]):
        codes[argv[0] + (" " + argv[1] if argv[0] == "compare" else "")] = main([*argv, "-o", str(target), "--db",
                                                                                 str(db)])
        assert "does not exist" in capsys.readouterr().err
    assert set(codes.values()) == {2}, codes
