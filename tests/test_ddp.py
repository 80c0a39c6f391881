import re
import subprocess
import sys
from pathlib import Path

import checkpoint
import data

ROOT = Path(__file__).resolve().parent.parent


def test_torchrun_two_cpu_processes_end_with_identical_weights(mnist, tmp_path):
    """`torchrun --nproc_per_node 2 train.py` (gloo): both ranks finish, with the same weights, and rank 0 saves."""
    r = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                        str(ROOT / "train.py"), "--train-size", "2560", "--eval-size", "200", "--out", "run/model",
                        "--metrics", "m.json", "--data-dir", str(Path(data.default_root()).resolve())], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    digests = dict(re.findall(r"rank (\d) weights sha256 ([0-9a-f]{64})", r.stdout))
    assert set(digests) == {"0", "1"} and digests["0"] == digests["1"]
    assert '"processes": 2' in (tmp_path / "m.json").read_text()
    meta = checkpoint.meta(tmp_path / "run" / "model")
    assert meta["steps"] == 20 and meta["test_accuracy"] > 0.3  # 2,560 images in global batches of 2 x 64
