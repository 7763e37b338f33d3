"""Many departments at once: `discloser build DIR -o OUT -j 2` — each into its own folder, a failing
input does not stop the others, the summary names each failure with its located problems."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from openpyxl import load_workbook

from helpers import HENAN, QINGSHAN, ROOT, SHAANXI, examples


def test_a_folder_of_departments_builds_in_parallel_and_reports_failures(tmp_path):
    inputs = tmp_path / "in"
    (inputs / "乡镇").mkdir(parents=True)
    shutil.copy(SHAANXI, inputs / "linyou.yaml")
    shutil.copy(HENAN, inputs / "乡镇" / "shilong.yaml")
    bad = inputs / "broken.yaml"
    bad.write_text(SHAANXI.read_text(encoding="utf-8").replace("amount: 3488570", "amount: 3488571", 1), encoding="utf-8")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "build", str(inputs), "-o", str(out), "-j", "2",
                        "--formats", "xlsx"], capture_output=True, text=True)
    assert r.returncode == 1, r.stderr
    assert sorted(p.name for p in out.iterdir()) == [".discloser.json", "linyou", "shilong"]   # nothing for the broken one
    for folder, org in (("linyou", "麟游县医疗保障经办机构"), ("shilong", "平顶山市石龙区医疗保障局")):
        [book] = list((out / folder).glob("*.xlsx"))
        assert org in book.name and load_workbook(book).sheetnames[0] == "目录"
    assert f"{bad}：未生成" in r.stderr and "balance.total" in r.stderr and f"{bad}:" in r.stderr
    assert "已生成 2 个部门，1 个未生成" in r.stderr


def test_build_one_is_a_pure_function_of_input_and_profile(tmp_path):
    """What a queue worker runs for one department: same input and profile, same bytes."""
    from discloser.build import build_one

    a = build_one(SHAANXI, tmp_path / "a", ("xlsx", "docx"), {"profile": "shaanxi"})
    b = build_one(SHAANXI, tmp_path / "b", ("xlsx", "docx"), {"profile": "shaanxi"})
    assert a.ok and b.ok and [p.name for p in a.written] == [p.name for p in b.written]
    for x, y in zip(a.written, b.written):
        assert x.read_bytes() == y.read_bytes()


def test_two_inputs_of_one_name_never_share_an_output_folder(tmp_path):
    """A trial built a/dept.yaml and b/dept.yaml (and dept.yaml beside dept.json): both went to OUT/dept, one
    package replaced the other, and the summary said 2 built. Each now has a folder of its own."""
    from discloser.build import inputs_of, output_folders

    inputs = tmp_path / "in"
    for folder in ("a", "b"):
        (inputs / folder).mkdir(parents=True)
        shutil.copy(SHAANXI, inputs / folder / "dept.yaml")
    shutil.copy(SHAANXI, inputs / "b" / "dept.json")     # only its name matters here
    shutil.copy(HENAN, inputs / "other.yaml")
    files = inputs_of([inputs, inputs / "other.yaml"]).files
    assert len(files) == 4                                  # the file named twice is built once
    names = [p.name for p in output_folders(tmp_path / "out", files)]
    assert len(set(names)) == len(names) == 4
    assert sorted(names) == ["a-dept", "b-dept-json", "b-dept-yaml", "other"]
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "discloser.cli", "build", str(inputs / "a"), str(inputs / "b" / "dept.yaml"),
                        "-o", str(out), "-j", "2", "--formats", "xlsx"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["a-dept", "b-dept"]
    assert all(len(list((out / f).glob("*.xlsx"))) == 1 for f in ("a-dept", "b-dept"))


def test_a_stopped_batch_has_said_which_packages_are_finished(tmp_path):
    """Trial V N3: SIGTERM to `build DIR` printed only “已终止” although two packages were complete in OUT — the log
    could not tell which. Each finished package is said as it is finished (stdout), so a stopped batch has told them."""
    import os
    import signal

    from helpers import ROOT

    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SHAANXI, inputs / "a-linyou.yaml")
    shutil.copy(HENAN, inputs / "b-shilong.yaml")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "discloser.cli", "build", str(inputs), "-o", str(out), "-j", "1",
                             "--formats", "xlsx"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    first = proc.stdout.readline()          # the first package, said when it is finished
    proc.send_signal(signal.SIGTERM)
    rest, err = proc.communicate(timeout=60)
    assert "a-linyou.yaml →" in first, (first, err)
    assert (proc.returncode == 143 and "已终止" in err) or proc.returncode == 0, (proc.returncode, err)   # 0: it was done
    [book] = (out / "a-linyou").glob("*.xlsx")
    assert str(book) in first and load_workbook(book).sheetnames[0] == "目录"
    assert not list(out.glob("*/.discloser-*"))      # a worker killed mid-build: its staging folder is removed


def test_a_worker_dies_of_sigterm_whichever_thread_receives_it():
    """A batch sometimes never ended (trialG-s28 D2): the pool's SIGTERM reached a worker's other thread (a library's),
    the Python handler it had could run only on the main thread, blocked waiting for work — the worker lived on and
    the pool waited for it forever. A worker's SIGTERM is the kernel's: it dies on whichever thread gets it."""
    import signal

    from helpers import ROOT

    code = ("import multiprocessing, signal, threading, time\n"
            "from discloser.build import _child_signals\n"
            "_child_signals()\n"
            "def hit():\n"
            "    time.sleep(0.3)\n"
            "    signal.pthread_kill(threading.get_ident(), signal.SIGTERM)   # to this thread, not the main one\n"
            "threading.Thread(target=hit).start()\n"
            "multiprocessing.SimpleQueue().get()   # the main thread waits for work, as an idle pool worker does\n")
    try:
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20,
                           env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    except subprocess.TimeoutExpired:
        pytest.fail("the worker outlived its SIGTERM")
    assert r.returncode == -signal.SIGTERM, (r.returncode, r.stderr)


DEPARTMENTS = ROOT / "tests" / "departments"
ANPING = DEPARTMENTS / "anping-compulsory-education-2025.yaml"
MEDIA = DEPARTMENTS / "anping-media-2025.yaml"


def batch(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "discloser.cli", "build", *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})})


def county(folder, **files) -> Path:
    """A folder of department files: name (without .yaml) → the department file it is a copy of."""
    folder.mkdir()
    for name, source in files.items():
        shutil.copy(source, folder / f"{name}.yaml")
    return folder


def organization(path) -> str:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))["organization"]["name"]


SEGMENTS = st.sampled_from(["a", "b", "A", "dept", "Dept", "a-dept", "dept-yaml", "a-dept-yaml", "a-dept-yaml-2",
                            "x-2", ".h", "-", "部门", "部门-yaml"])
SUFFIXES = st.sampled_from([".yaml", ".yml", ".json", ".xlsx", ".YAML", ""])


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(st.lists(SEGMENTS, min_size=1, max_size=3), SUFFIXES), min_size=1, max_size=12))
def test_output_folders_are_distinct_for_any_set_of_paths(drawn):
    """trialG-s28 D1: a-dept.yaml beside a/dept.yaml and b/dept.yaml — two inputs were sent to one folder. For any
    set of inputs each gets a folder of its own (compared as a case-insensitive file system does), directly in OUT,
    never hidden."""
    from discloser.build import output_folders

    root = Path("/srv/in")
    paths = list({root.joinpath(*segs[:-1], segs[-1] + suffix): None for segs, suffix in drawn})
    out = Path("/srv/out")
    folders = output_folders(out, paths)
    names = [f.name for f in folders]
    assert len({n.casefold() for n in names}) == len(paths), list(zip(paths, names))
    assert all(f.parent == out and n not in ("", ".", "..") and not n.startswith(".") for f, n in zip(folders, names))


def test_an_input_named_like_anothers_folder_and_name_gets_its_own_folder(tmp_path):
    """trialG-s28 D1, through the command line: coll2/a/dept.yaml and coll2/a-dept.yaml both went to OUT/a-dept-yaml/
    (a/dept.yaml got a-dept as b/dept.yaml shares its name, then both took the suffix), one package replaced the
    other, exit 0."""
    inputs = tmp_path / "coll2"
    (inputs / "a").mkdir(parents=True)
    (inputs / "b").mkdir()
    shutil.copy(ANPING, inputs / "a" / "dept.yaml")
    shutil.copy(MEDIA, inputs / "b" / "dept.yaml")
    text = ANPING.read_text(encoding="utf-8")
    (inputs / "a-dept.yaml").write_text(text.replace(organization(ANPING), "安平县教育经费保障中心"), encoding="utf-8")
    out = tmp_path / "out"
    r = batch(str(inputs), "-o", str(out), "-j", "2", "--formats", "xlsx")
    assert r.returncode == 0, r.stderr
    folders = {line.split(" → ")[0]: Path(line.split(" → ")[1]).parent for line in r.stdout.splitlines() if " → " in line}
    assert len(folders) == 3 and len(set(folders.values())) == 3, r.stdout
    for source, folder in folders.items():
        [book] = folder.glob("*.xlsx")
        assert organization(Path(source)) in book.name and load_workbook(book).properties.creator == organization(Path(source))


def test_an_output_folder_inside_the_input_folder_is_not_read_as_inputs(tmp_path):
    """trialG-s28 D7: `build 各单位 -o 各单位/公开包` worked once; the next run read its own published workbooks as inputs
    (错误[workbook.sheet] 不是 discloser 填报工作簿 for each) and exited 1."""
    inputs = tmp_path / "各单位"
    inputs.mkdir()
    shutil.copy(ANPING, inputs / "jiaoyu.yaml")
    out = inputs / "公开包"
    for _ in range(2):
        r = batch(str(inputs), "-o", str(out), "-j", "2", "--formats", "xlsx,json")
        assert r.returncode == 0, r.stderr
        assert "已生成 1 个部门，0 个未生成" in r.stderr
    [book] = (out / "jiaoyu").glob("*.xlsx")
    assert book.name.startswith(organization(ANPING))
    # an earlier output folder inside the inputs (公开包, while this year's goes to 公开包2025), and the inputs' own
    # folder as the output: what earlier batches published is never read back as a department (trialX-s28 N1)
    for again in (inputs / "公开包2025", inputs):
        for _ in range(2):
            r = batch(str(inputs), "-o", str(again), "-j", "2", "--formats", "xlsx,json")
            assert r.returncode == 0 and "已生成 1 个部门，0 个未生成" in r.stderr, r.stderr


def test_a_department_folder_shows_this_run(tmp_path):
    """trialG-s28 D4: after a second batch, a department now failing kept last run's package with nothing said, and a
    renamed department's folder held both its old and its new package. Now its folder holds exactly this run's
    files (and the clerk's own), and a department not built is said to hold earlier files."""
    inputs = county(tmp_path / "rerun", **{"13-jiaoyu": ANPING, "12-meiti": MEDIA})
    out = tmp_path / "outR"
    assert batch(str(inputs), "-o", str(out), "-j", "2", "--formats", "xlsx,json").returncode == 0
    before = sorted(p.name for p in (out / "13-jiaoyu").iterdir())
    (out / "12-meiti" / "上传说明.txt").write_text("clerk's own", encoding="utf-8")
    text = ANPING.read_text(encoding="utf-8")
    (inputs / "13-jiaoyu.yaml").write_text(text.replace("{source: 其他收入, amount: 1000}", "{source: 其他收入, amount: 6000}"),
                                           encoding="utf-8")
    renamed = organization(MEDIA).replace("安平县", "安平县新")
    (inputs / "12-meiti.yaml").write_text(MEDIA.read_text(encoding="utf-8").replace(organization(MEDIA), renamed),
                                          encoding="utf-8")
    r = batch(str(inputs), "-o", str(out), "-j", "2", "--formats", "xlsx")
    assert r.returncode == 1, r.stderr
    books = sorted(p.name for p in (out / "12-meiti").iterdir() if not p.name.startswith("."))
    assert len(books) == 2 and "上传说明.txt" in books, books      # the new workbook and the clerk's file: no old json
    [book] = (out / "12-meiti").glob("*.xlsx")
    assert book.name.startswith(renamed) and load_workbook(book).properties.creator == renamed
    assert sorted(p.name for p in (out / "13-jiaoyu").iterdir()) == before
    assert f"{inputs / '13-jiaoyu.yaml'}：未生成" in r.stderr
    assert f"{out / '13-jiaoyu'}{os.sep} 中仍是以前生成的文件，未更新" in r.stderr


def test_a_batch_shows_each_built_departments_warnings(tmp_path):
    """trialG-s28 D3: a batch printed only the “→” lines — a 说明 whose reason says 压减 for an increase was built and
    published with no word, where a single build lists the warning. Each built department's warnings are listed at
    their place, and the summary names the departments that have them."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(QINGSHAN, inputs / "wenguang.yaml")
    shutil.copy(ANPING, inputs / "jiaoyu.yaml")
    r = batch(str(inputs), "-o", str(tmp_path / "out"), "-j", "2", "--formats", "xlsx")
    assert r.returncode == 0, r.stderr
    source = inputs / "wenguang.yaml"
    [line] = [n for n, text in enumerate(source.read_text(encoding="utf-8").splitlines(), 1) if "reason: 压减一般性支出" in text]
    assert f"{source}:{line}:" in r.stderr and "警告[prior.reason-direction]" in r.stderr, r.stderr
    assert f"{source}（1 个）" in r.stderr and "jiaoyu.yaml（" not in r.stderr


@pytest.fixture
def read_only(tmp_path):
    """A folder nobody may write in — root included (the tests run as root, as the trial did: `chattr +i`)."""
    folder = tmp_path / "ro_out"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
    elif subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        folder.chmod(0o755)


def test_an_unwritable_output_folder_is_said_once_in_chinese(tmp_path, read_only):
    """trialG-s28 D5/D6: a single build printed “生成失败（PermissionError: [Errno 1] Operation not permitted:
    'ro_out/.discloser-…'）”, a batch “无法创建输出文件夹 ro_out/04-…（Operation not permitted）” once per department.
    The output folder is checked once, before anything is built."""
    inputs = county(tmp_path / "in", jiaoyu=ANPING, meiti=MEDIA)
    blocker = tmp_path / "outfile.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    cases = [(read_only, f"无法写入输出文件夹 {read_only}（没有写入权限）"),
             (read_only / "sub", f"无法创建输出文件夹 {read_only / 'sub'}（{read_only}：没有写入权限）"),
             (blocker, f"输出位置 {blocker} 是一个文件，不是文件夹"),
             (blocker / "sub", f"无法创建输出文件夹 {blocker / 'sub'}：{blocker} 是一个文件，不是文件夹")]
    for out, said in cases:
        for given in ([str(inputs / "jiaoyu.yaml")], [str(inputs), "-j", "2"]):
            r = batch(*given, "-o", str(out), "--formats", "xlsx")
            assert r.returncode == 1 and r.stderr.count(said) == 1 and len(r.stderr.splitlines()) == 1, (given, out, r.stderr)
            assert not any(word in r.stderr for word in ("Error", "Errno", "Operation", "directory", "permitted"))
    assert not any(read_only.iterdir()) and blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_batch_removes_what_killed_batches_staged_in_every_department_folder(tmp_path):
    """trialG-s28 D8: SIGKILL left OUT/03-医保局/.discloser-<pid>-…/ (holding a PDF) and OUT/01-教育局/ with only its
    staging folder; the next batch into OUT removed neither (it swept only the departments it rebuilt)."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()                                         # a process id that is gone
    out = tmp_path / "outK"
    stale = [out / "03-yibao" / f".discloser-{dead.pid}-deu4aup5", out / "01-jiaoyu" / f".discloser-{dead.pid}-qt3py9uu"]
    for folder in stale:
        folder.mkdir(parents=True)
    (stale[0] / "x.pdf").write_bytes(b"%PDF-")
    (out / "03-yibao" / "old.xlsx").write_bytes(b"kept")       # not discloser's staging: stays
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(ANPING, inputs / "other.yaml")
    r = batch(str(inputs), "-o", str(out), "-j", "2", "--formats", "xlsx")
    assert r.returncode == 0, r.stderr
    assert not any(f.exists() for f in stale) and not (out / "01-jiaoyu").exists()
    assert (out / "03-yibao" / "old.xlsx").read_bytes() == b"kept"


def test_jobs_must_be_a_whole_number_of_at_least_one(tmp_path):
    """trialG-s28 D9: `-j abc` said “（应为 int）”; `-j 0` and `-j -1` ran silently as -j 1."""
    shutil.copy(ANPING, tmp_path / "jiaoyu.yaml")
    for value in ("abc", "0", "-1"):
        r = batch(str(tmp_path / "jiaoyu.yaml"), "-o", str(tmp_path / "out"), "-j", value)
        assert r.returncode == 2 and f"参数 -j/--jobs：应为不小于 1 的整数（同时生成几个部门），不是“{value}”" in r.stderr, r.stderr
        assert "int" not in r.stderr and not (tmp_path / "out").exists()


def test_a_profile_file_among_the_departments_is_named_and_skipped(tmp_path):
    """trialG-s28 D11: a profile made by `profile new` in the county folder was built as a budget — 22 “未知字段”
    errors. It is told by its top-level keys, as validate does, and said in one line."""
    inputs = tmp_path / "county"
    inputs.mkdir()
    shutil.copy(ANPING, inputs / "jiaoyu.yaml")
    made = subprocess.run([sys.executable, "-m", "discloser.cli", "profile", "new", "青溪县", "--from", "shaanxi"], cwd=inputs,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert made.returncode == 0, made.stderr
    profile = inputs / "青溪县.yaml"
    said = f"{profile}：这是版式配置文件，不是预算数据文件（生成时用 --profile {profile}）"
    r = batch(str(inputs), "-o", str(tmp_path / "out"), "-j", "2", "--formats", "xlsx")
    assert r.returncode == 0 and f"{said}，已跳过" in r.stderr and "未知字段" not in r.stderr, r.stderr
    assert "已生成 1 个部门，0 个未生成" in r.stderr
    [book] = (tmp_path / "out" / "jiaoyu").glob("*.xlsx")
    assert book.name.startswith(organization(ANPING))
    r = batch(str(profile), "-o", str(tmp_path / "out2"))
    assert r.returncode == 1 and r.stderr.strip() == f"discloser：{said}" and not (tmp_path / "out2").exists(), r.stderr


def test_a_batch_starts_no_more_workers_than_it_has_departments_or_the_machine_can_use(tmp_path, monkeypatch):
    """`-j 999999` started a worker process for every job asked, until the machine ran out of memory and killed
    whatever it picked (trialX-s28). A batch starts at most one worker per department, and a few per core."""
    import multiprocessing

    from discloser import build as building

    sizes = []
    real = multiprocessing.get_context

    class Counted:
        def __init__(self, method):
            self.ctx = real(method)

        def Pool(self, processes, **kw):
            sizes.append(processes)
            return self.ctx.Pool(processes, **kw)

    monkeypatch.setattr(building.multiprocessing, "get_context", Counted)
    for name in ("a", "b"):
        shutil.copy(SHAANXI, tmp_path / f"{name}.yaml")
    outcomes = building.build_many([tmp_path / "a.yaml", tmp_path / "b.yaml"], tmp_path / "out", ("xlsx",), jobs=999_999)
    assert all(o.ok for o in outcomes) and sizes == [2]                     # two departments: two workers
    monkeypatch.setattr(building, "MAX_JOBS", 1)                              # a machine allowing one: no pool at all
    outcomes = building.build_many([tmp_path / "a.yaml", tmp_path / "b.yaml"], tmp_path / "out2", ("xlsx",), jobs=999_999)
    assert all(o.ok for o in outcomes) and sizes == [2]


def test_department_folder_names_are_safe_file_names():
    """`x?`, `x `, `x.` and `con` were made folders as typed: Windows refuses the first and last and makes the
    middle two one folder with `x` — two departments in one folder again (trialX-s28 N4)."""
    from pathlib import Path

    from discloser.build import output_folders

    paths = [Path(f"/in/{n}.yaml") for n in ("x?", "x ", "x.", "x", "con", "a/b")]
    names = [f.name for f in output_folders(Path("/out"), paths)]
    assert len({n.casefold() for n in names}) == len(paths), names
    assert not [n for n in names if n != n.strip(" .") or "?" in n or n.lower() == "con"], names


def test_a_package_the_clerk_edited_is_never_removed(tmp_path):
    """Files an earlier batch wrote and this one did not are removed — but a clerk's hand-edited Word file is the
    clerk's: building the PDF only, then, must not delete it (trialX-s28 N3). Unedited, it goes."""
    inputs = county(tmp_path / "in", a=ANPING, b=ANPING)
    out = tmp_path / "out"
    assert batch(str(inputs), "-o", str(out), "-j", "2", "--formats", "xlsx,json").returncode == 0
    [edited] = (out / "a").glob("*.json")
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")     # the clerk's change
    assert batch(str(inputs), "-o", str(out), "-j", "2", "--formats", "xlsx").returncode == 0
    assert edited.is_file() and not list((out / "b").glob("*.json"))


def test_a_renamed_input_leaves_its_old_folder_said(tmp_path):
    """Renaming an input file put its package in a second folder beside the old one — one department published twice,
    the summary silent (trialX-s28 N6). The old folder stays (the clerk decides) and the summary names it."""
    inputs = county(tmp_path / "in", jiaoyu=ANPING, meiti=MEDIA)
    out = tmp_path / "out"
    assert batch(str(inputs), "-o", str(out), "-j", "2", "--formats", "xlsx").returncode == 0
    (inputs / "jiaoyu.yaml").rename(inputs / "01-jiaoyu.yaml")
    r = batch(str(inputs), "-o", str(out), "-j", "2", "--formats", "xlsx")
    assert r.returncode == 0 and (out / "jiaoyu").is_dir() and (out / "01-jiaoyu").is_dir()
    assert f"{out / 'jiaoyu'}{os.sep} 是以前生成的，本次没有对应的输入文件" in r.stderr, r.stderr
    assert f"{out / 'meiti'}{os.sep} 是以前生成的" not in r.stderr


def test_files_a_folder_holds_and_the_batch_does_not_read_are_each_said(tmp_path):
    """trialX-s28 N5: a department whose file was a broken link, or hidden (.x.yaml), was missing from the batch without
    a word — the summary counted the others and exited 0. Each data file passed over is said with why; Excel's own
    lock file (~$x.xlsx, left while the workbook is open) too."""
    inputs = county(tmp_path / "county", jiaoyu=SHAANXI)
    (inputs / "gone.yaml").symlink_to(tmp_path / "moved-away.yaml")
    shutil.copy(SHAANXI, inputs / ".old.yaml")
    (inputs / "~$jiaoyu.xlsx").write_bytes(b"lock")
    (inputs / ".backup").mkdir()
    shutil.copy(HENAN, inputs / ".backup" / "henan.yaml")
    r = batch(str(inputs), "-o", str(tmp_path / "out"), "--formats", "xlsx")
    assert r.returncode == 0 and "已生成 1 个部门，0 个未生成" in r.stderr, r.stderr
    for name, why in [("gone.yaml", "链接指向的文件不存在"), (".old.yaml", "隐藏文件"), ("~$jiaoyu.xlsx", "Excel 打开文件时留下的临时文件"),
                      (f".backup{os.sep}henan.yaml", "在隐藏文件夹 .backup 中")]:
        assert f"{inputs / name}：未读取（{why}" in r.stderr, (name, r.stderr)
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir()) == ["jiaoyu"]
