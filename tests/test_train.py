import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import checkpoint
import data
from train import TrainConfig, main, parse_args, train_events

ROOT = Path(__file__).resolve().parent.parent


def small(**kw) -> TrainConfig:
    return TrainConfig(**{"train_size": 3000, "eval_every": 10, "eval_size": 500, "device": "cpu", **kw})


def test_a_short_run_learns_and_reports_in_order(mnist):
    events = list(train_events(small(epochs=2), mnist))
    steps = [e.step for e in events[:-1]]
    assert steps == list(range(1, 95)) and events[-1].kind == "done"
    assert [e.epoch for e in events[:-1]] == [0] * 47 + [1] * 47
    assert {e.kind for e in events} == {"step", "eval", "done"}
    checks = [c for e in events for c in e.checks]
    assert [c.step for c in checks] == [0, *range(1, 95, 10)]  # every check reported, in order (0: untrained),
    assert all(c.step <= e.step for e in events for c in e.checks)  # never before its step was trained
    assert all(c.probe_h.shape == (28, 64) and 0 <= c.test_acc <= 1 for c in checks)
    assert checks[-1].test_acc > checks[0].test_acc + 0.3
    first, last = events[0], events[-2]
    assert last.loss_avg < first.loss_avg - 0.5 and last.samples_per_s > 0 and last.eta_s == 0
    assert events[-1].test_acc > 0.5  # chance is 0.1
    assert events[-1].test_pred.shape == (10000,)


def test_same_seed_same_run(mnist):
    a = [e.loss for e in train_events(small(train_size=640), mnist)]
    b = [e.loss for e in train_events(small(train_size=640), mnist)]
    assert a == b


def test_closing_the_generator_stops_and_keeps_the_model(mnist):
    events = train_events(small(epochs=5), mnist)
    seen = [next(events) for _ in range(30)]
    events.close()
    assert next(events, None) is None
    model = seen[-1].model
    assert all(e.model is model for e in seen)
    from evaluate import predict

    acc = (predict(model.eval(), mnist.test_x[:1000]) == mnist.test_y[:1000]).float().mean()
    assert acc > 0.3


def test_checks_do_not_depend_on_timing(mnist):
    """Checks run in a second thread on a snapshot: the same seed gives the same accuracies."""
    runs = [[c.test_acc for e in train_events(small(train_size=1280), mnist) for c in e.checks] for _ in range(2)]
    assert runs[0] == runs[1] and len(runs[0]) == 3


def test_ctrl_c_stops_cleanly_and_keeps_the_model(mnist, tmp_path):
    """SIGINT mid-run: exit 0, the partly trained model saved and marked interrupted, no traceback."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "train.py"), "--epochs", "3", "--out", "run/model",
                             "--metrics", "m.json", "--eval-every", "20", "--data-dir", str(Path(data.default_root()).resolve())],
                            cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:  # wait for training to be under way
        if "step    21" in line:
            break
    proc.send_signal(signal.SIGINT)
    out = proc.stdout.read()
    assert proc.wait(60) == 0, out
    assert "interrupted: keeping the model trained so far" in out and "Traceback" not in out
    meta = json.loads((tmp_path / "run" / "model.json").read_text())
    assert meta["interrupted"] and 21 <= meta["steps"] < 3 * 938 and meta["test_accuracy"] > 0.3
    assert checkpoint.load(tmp_path / "run" / "model").config.cell == "lstm"


def test_cli_writes_metrics_and_weights_but_never_into_weights(mnist, tmp_path, monkeypatch):
    shipped = (checkpoint.WEIGHTS_DIR / "lstm.safetensors").read_bytes()
    root = str(Path(data.default_root()).resolve())
    monkeypatch.chdir(tmp_path)
    assert main(["--train-size", "2000", "--data-dir", root,
                 "--metrics", "m.json", "--eval-size", "500"]) == 0
    metrics = json.loads((tmp_path / "m.json").read_text())
    assert 0.3 < metrics["test_accuracy"] <= 1 and metrics["train_seconds"] > 0 and metrics["samples_per_second"] > 0
    (run,) = (tmp_path / "runs").iterdir()
    model = checkpoint.load(run / "model")
    assert model.config.hidden_size == 64
    assert (checkpoint.WEIGHTS_DIR / "lstm.safetensors").read_bytes() == shipped


def test_flags_set_the_config_and_nonsense_is_refused(capsys):
    """Each kind of flag the parser makes from TrainConfig: a number, a choice, a switch, a path; defaults otherwise."""
    cfg = parse_args(["--hidden-size", "32", "--lr", "0.003", "--cell", "gru", "--augment", "--out", "weights/x"])
    assert cfg == TrainConfig(hidden_size=32, lr=0.003, cell="gru", augment=True, out="weights/x")
    assert parse_args(["--augment", "--no-augment"]).augment is False and parse_args([]) == TrainConfig()
    for bad in (["--cell", "transformer"], ["--hidden-size", "many"], ["--schedule", "cosine"]):
        with pytest.raises(SystemExit):
            parse_args(bad)
        assert "invalid" in capsys.readouterr().err
    out = " ".join(subprocess.run([sys.executable, "train.py", "--help"], cwd=ROOT, capture_output=True,
                                  text=True).stdout.split())
    assert "--lr LR Adam learning rate (the peak, with --schedule onecycle) (default: 0.01)" in out


def test_missing_dataset_gives_one_clear_message(tmp_path):
    r = subprocess.run([sys.executable, "train.py", "--data-dir", str(tmp_path / "nowhere")], cwd=ROOT,
                       capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                                                           "no_proxy": "*", "https_proxy": "http://127.0.0.1:9"})
    assert r.returncode == 2
    assert "MNIST not found in" in r.stderr and "nowhere" in r.stderr and "--data-dir" in r.stderr
    assert "Traceback" not in r.stderr


def test_raw_files_read_exactly_as_torchvision_reads_them(mnist):
    from torchvision.datasets import MNIST as TorchMNIST

    tv = TorchMNIST(root=data.default_root(), train=False, download=False)
    assert mnist.train_x.shape == (60000, 28, 28) and mnist.train_x.dtype == mnist.test_x.dtype
    assert (mnist.test_x == tv.data).all() and (mnist.test_y == tv.targets).all()


def test_a_run_resumed_from_its_state_ends_exactly_where_an_unbroken_one_does(mnist):
    """What lets a ZeroGPU Space train in time-boxed chunks: stop anywhere, go on from `state()`, same weights."""
    cfg = small(train_size=1000, epochs=2, augment=True, schedule="onecycle")  # 16 steps per epoch
    unbroken = list(train_events(cfg, mnist))
    resume, steps = None, []
    for cut in (5, 16, 27, None):  # mid-epoch, on the epoch boundary, into the next epoch, then to the end
        events = train_events(cfg, mnist, resume=resume)
        for ev in events:
            steps.append(ev.step)
            if ev.step == cut:
                break
        resume = ev.state() if cut else None
        events.close()
    assert steps == list(range(1, 33)) + [32] and ev.kind == "done"
    for a, b in zip(unbroken[-1].model.state_dict().values(), ev.model.state_dict().values()):
        assert torch.equal(a, b)
    assert ev.test_acc == unbroken[-1].test_acc


def test_blank_rows_put_the_digit_first_and_nothing_under_it(mnist):
    x = mnist.test_x[:3]
    padded = data.blank_rows(x, 5)
    assert padded.shape == (3, 33, 28) and padded.dtype == torch.uint8
    assert torch.equal(padded[:, :28], x) and not padded[:, 28:].any()
    assert data.blank_rows(x.float() / 255, 2).shape == (3, 30, 28) and data.blank_rows(x, 0) is x
    assert data.blank_rows(x[0], 1).shape == (29, 28)  # one digit too


def test_a_long_memory_run_reads_the_blank_rows_everywhere(mnist):
    assert parse_args(["--blank-rows", "8"]).blank_rows == 8 and TrainConfig().blank_rows == 0
    events = list(train_events(small(blank_rows=8, train_size=640), mnist))
    checks = [c for e in events for c in e.checks]
    assert all(c.probe_h.shape == (36, 64) and c.probe_probs.shape == (36, 10) and c.log_grads.shape == (36,)
               for c in checks)
    done = events[-1]
    assert done.probe_h.shape == (36, 64) and 0.1 < done.test_acc <= 1
    # The answer it is scored on is the one after the blank rows, not after row 28.
    model = done.model
    with torch.inference_mode():
        after = model(data.blank_rows(mnist.test_x[:500].float() / 255, 8)).argmax(1)
    assert torch.equal(after, done.test_pred[:500])
