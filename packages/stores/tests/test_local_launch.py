"""launch_local: torchrun's environment per rank, failures and hangs named by rank."""

import json

import pytest

from geode_stores import DistributedError, launch_local

SCRIPT = """
import json, os, sys, time
env = {k: os.environ[k] for k in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")}
open(sys.argv[1], "w").write(json.dumps(env))
if sys.argv[2] == "fail" and env["RANK"] == "1":
    sys.exit("rank 1 broke")
if sys.argv[2] == "hang":
    time.sleep(30)
"""


def _run(tmp_path, mode, timeout=30.0):
    script = tmp_path / "rank.py"
    script.write_text(SCRIPT)
    launch_local(lambda rank: [str(script), str(tmp_path / f"{rank}.json"), mode], 3, timeout)
    return [json.loads((tmp_path / f"{rank}.json").read_text()) for rank in range(3)]


def test_every_rank_gets_torchruns_variables(tmp_path):
    envs = _run(tmp_path, "ok")
    assert [e["RANK"] for e in envs] == ["0", "1", "2"] == [e["LOCAL_RANK"] for e in envs]
    assert {e["WORLD_SIZE"] for e in envs} == {"3"}
    assert len({e["MASTER_PORT"] for e in envs}) == 1


def test_a_failing_rank_is_named_with_its_error(tmp_path):
    with pytest.raises(DistributedError, match=r"rank 1 exited with 1:\n.*rank 1 broke"):
        _run(tmp_path, "fail")


def test_ranks_that_hang_are_killed_after_the_timeout(tmp_path):
    with pytest.raises(DistributedError, match=r"did not finish within 1\.0 s"):
        _run(tmp_path, "hang", timeout=1.0)
