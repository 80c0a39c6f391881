"""A training run in a process of its own (training_run.Worker): the same model as training in this process, Stop
and a dead worker handled, the worker kept for the next run."""
import dataclasses
import os
import signal

import pytest
import torch

import train
from training_run import WORKERS, TrainingRun


def until_end(run: TrainingRun) -> list:
    events, ended = [], False
    while not ended:
        got, ended = run.next_events(0.5)
        events += got
    return events


def training(run: TrainingRun) -> list:
    """The first events of a run, once it trains (a worker may have to start first: a few seconds)."""
    for _ in range(120):
        got, ended = run.next_events(0.5)
        if got or ended:
            return got
    return []


@pytest.fixture
def cfg(mnist):
    return train.TrainConfig(train_size=2000, device="cpu", data_dir=os.environ["MNIST_ROOT"])


def test_a_run_in_its_worker_trains_what_training_here_trains(cfg, mnist, one_torch_thread):
    run = TrainingRun(cfg, mnist, mnist.test_x[0])
    events = until_end(run)
    last = run.stop()
    here = list(train.train_events(cfg, mnist, mnist.test_x[0]))
    assert run.error is None and [e.step for e in events] == [e.step for e in here]
    assert [e.loss for e in events] == [e.loss for e in here]  # bit for bit: the same seed, one thread each
    assert [c.test_acc for e in events for c in e.checks] == [c.test_acc for e in here for c in e.checks]
    assert last.kind == "done" and last.test_acc == here[-1].test_acc and torch.equal(last.test_pred, here[-1].test_pred)
    assert all(torch.equal(a, b) for a, b in zip(last.model.state_dict().values(), here[-1].model.state_dict().values()))
    assert all(e.model is None for e in events)  # the model crosses once, at the end


def test_stop_ends_it_after_a_step_with_the_model_so_far_and_the_worker_serves_the_next_run(cfg, mnist):
    run = TrainingRun(dataclasses.replace(cfg, train_size=60000), mnist, mnist.test_x[0])
    first = training(run)
    last = run.stop()
    assert first and run.error is None and last.kind != "done" and 0 < last.step < 938 and last.model is not None
    pid = WORKERS.idle[-1].proc.pid  # given back, alive
    again = TrainingRun(cfg, mnist, mnist.test_x[0])
    until_end(again)
    assert again.stop().kind == "done" and again.error is None and WORKERS.idle[-1].proc.pid == pid


def test_a_worker_that_dies_ends_its_run_with_an_error_and_the_next_run_gets_a_new_one(cfg, mnist):
    run = TrainingRun(dataclasses.replace(cfg, train_size=60000), mnist, mnist.test_x[0])
    assert training(run)
    os.kill(run.worker.proc.pid, signal.SIGKILL)
    until_end(run)  # ends instead of hanging
    assert "training process ended" in str(run.error)
    again = TrainingRun(cfg, mnist, mnist.test_x[0])
    until_end(again)
    assert again.stop().kind == "done" and again.error is None

