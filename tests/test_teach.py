"""teacher.teach and teacher.held_out_reading with the shipped models and a writer's drawn corrections."""
import numpy as np
import pytest
import torch

import checkpoint
import drawn
import preprocess
import evaluate
import teacher
from model import CELLS, ModelConfig, RowReader
from teacher import TeachRecipe

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def corrections() -> tuple[np.ndarray, np.ndarray]:
    """20 digits (2 of each) by the mirrored writer, as the Draw tab would keep them after to_mnist."""
    values, labels = drawn.writer_set("mirrored", 20, seed=5)
    return np.stack([preprocess.to_mnist(v) for v in values]), labels


def weights(model: RowReader) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in model.state_dict().items()}


def same(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


@torch.inference_mode()
def reads(model: RowReader, x) -> np.ndarray:
    return model(torch.as_tensor(x)).argmax(1).numpy()


def test_teach_learns_the_corrections_keeps_mnist_and_the_given_model(corrections, mnist):
    x, y = corrections
    model = checkpoint.load_pretrained("lstm")
    before = weights(model)
    taught = teacher.teach(model, x, y, mnist)
    assert same(weights(model), before)  # bit for bit
    assert taught is not model and not same(weights(taught), before)
    assert taught.config == model.config and not taught.training
    assert all(p.grad is None for p in taught.parameters())  # a session keeps the weights only
    assert (reads(model, x) == y).mean() <= 0.65  # this writer is misread before...
    assert (reads(taught, x) == y).mean() >= 0.9  # ...and read after
    test_x, test_y = mnist.test_x[:2000], mnist.test_y[:2000]  # the forgetting meter's digits
    right = [(evaluate.predict(m, test_x) == test_y).sum().item() for m in (model, taught)]
    assert right[1] >= right[0] - 10, right  # at most 0.5 point of MNIST forgotten (here 0.25)


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_every_cell_learns_without_mnist(cell, corrections):
    x, y = corrections
    model = checkpoint.load_pretrained(cell)
    before = weights(model)
    taught = teacher.teach(model, x, y)  # no MNIST on disk: no replay, a pull towards the starting weights
    assert same(weights(model), before)
    assert (reads(taught, x) == y).mean() > (reads(model, x) == y).mean() + 0.15


def test_a_visitors_model_of_another_size(corrections):
    model = RowReader(ModelConfig(cell="gru", hidden_size=24))
    x, y = corrections
    taught = teacher.teach(model, x[:4], y[:4], recipe=TeachRecipe(steps=3))
    assert taught.config.hidden_size == 24 and taught(torch.as_tensor(x)).shape == (20, 10)


def test_same_seed_same_model_other_seed_another(corrections, mnist):
    x, y = corrections
    model = checkpoint.load_pretrained("lstm")
    short = TeachRecipe(steps=4)
    a, b, c = (teacher.teach(model, x, y, mnist, short, seed=s) for s in (3, 3, 4))
    assert same(weights(a), weights(b)) and not same(weights(a), weights(c))


def test_teach_runs_inside_inference_mode(corrections):
    """The app's handlers run under torch.inference_mode(); teaching must still train."""
    x, y = corrections
    model = checkpoint.load_pretrained("lstm")
    with torch.inference_mode():
        taught = teacher.teach(model, torch.as_tensor(x[:4]), torch.as_tensor(y[:4]), recipe=TeachRecipe(steps=3))
    assert not same(weights(taught), weights(model))


def bad_inputs(x: np.ndarray, y: np.ndarray) -> dict[str, tuple]:
    nan, blank = x[:3].copy(), x[:3].copy()
    nan[1, 5, 5] = np.nan
    blank[2] = 0
    return {
        "label 10": (x[:3], [1, 2, 10], "digits 0-9"),
        "label -1": (x[:3], [-1, 2, 3], "digits 0-9"),
        "label 2.5": (x[:3], [1, 2.5, 3], "whole numbers"),
        "label as text": (x[:3], ["1", "2", "3"], "whole numbers"),
        "fewer labels": (x[:3], [1, 2], "one per digit"),
        "one image": (x[0], [1], "(N, 28, 28)"),
        "wrong size": (np.zeros((3, 28, 27), np.float32), [1, 2, 3], "(N, 28, 28)"),
        "NaN": (nan, [1, 2, 3], "NaN"),
        "0-255 pixels": (x[:3] * 255, [1, 2, 3], "[0, 1]"),
        "empty": (np.zeros((0, 28, 28), np.float32), [], "no corrections"),
        "no drawing": (blank, [1, 2, 3], "correction 2 has no drawing"),
        "ragged": ([x[0], x[1][:5]], [1, 2], "(N, 28, 28)"),
    }


@pytest.mark.parametrize("case", list(bad_inputs(np.zeros((3, 28, 28)), np.zeros(3))))
def test_bad_corrections_get_a_clear_one_line_message(case, corrections):
    digits, labels, says = bad_inputs(*corrections)[case]
    model = checkpoint.load_pretrained("lstm")
    for fn in (teacher.teach, teacher.held_out_reading):
        with pytest.raises(ValueError) as e:
            fn(model, digits, labels)
        assert says in str(e.value) and "\n" not in str(e.value)


def test_held_out_reading_is_leave_one_out_for_a_few(corrections):
    x, y = corrections
    x, y = x[[2, 3, 12]], y[[2, 3, 12]]  # a 2, a 3 and another 2
    model = checkpoint.load_pretrained("lstm")
    before = weights(model)
    pred = teacher.held_out_reading(model, x, y, folds=4)
    assert pred.shape == (3,) and pred.dtype == torch.int64 and same(weights(model), before)
    # Three corrections, four folds: each is read by a model taught on the other two, with the same seed.
    alone = teacher.teach(model, x[1:], y[1:])
    assert pred[0].item() == reads(alone, x[:1])[0]
    assert torch.equal(pred, teacher.held_out_reading(model, x, y, folds=4))  # deterministic
    assert teacher.held_out_reading(model, x[:1], y[:1]).tolist() == reads(model, x[:1]).tolist()  # nothing else


def test_held_out_reading_in_folds(corrections):
    x, y = corrections
    model = checkpoint.load_pretrained("lstm")
    pred = teacher.held_out_reading(model, x, y, folds=2, recipe=TeachRecipe(steps=10))
    assert pred.shape == (20,) and set(pred.tolist()) <= set(range(10))
    with pytest.raises(ValueError, match="folds"):
        teacher.held_out_reading(model, x, y, folds=0)


def test_writer_styles_are_reproducible_distinct_and_split_once():
    assert set(drawn.CHOOSE).isdisjoint(drawn.HELD_OUT) and set(drawn.CHOOSE) | set(drawn.HELD_OUT) == set(drawn.STYLES)
    assert len(drawn.CHOOSE) >= 4 and len(drawn.HELD_OUT) >= 4
    digits = {}
    for name in drawn.STYLES:
        a, b, c = (np.stack([preprocess.to_mnist(v) for v in drawn.writer_set(name, 10, s)[0]]) for s in (7, 7, 8))
        assert np.array_equal(a, b) and not np.array_equal(a, c), name  # same seed, same digits; another, others
        digits[name] = a
    # The same strokes (same seed) written in two styles differ on every digit, not only on a few.
    names = list(digits)
    for i, p in enumerate(names):
        for q in names[i + 1:]:
            assert np.abs(digits[p] - digits[q]).mean(axis=(1, 2)).min() > 0.02, (p, q)


def test_teaching_a_held_out_style_lifts_that_writers_other_digits(mnist):
    """The chosen recipe on a style it was not chosen on: 20 corrections, then 100 other digits of the writer."""
    def digits(n, seed):
        values, labels = drawn.writer_set("wavy", n, seed)
        return np.stack([preprocess.to_mnist(v) for v in values]), labels

    (x, y), (others, others_y) = digits(20, 11), digits(100, 21)
    model = checkpoint.load_pretrained("lstm")
    taught = teacher.teach(model, x, y, mnist, seed=11)
    before, after = ((reads(m, others) == others_y).mean() for m in (model, taught))
    assert after >= before + 0.2, (before, after)


def test_each_cell_gets_its_recipe():
    """The LSTM's settings were chosen on writer styles; the GRU and the plain RNN forgot too much with them."""
    lstm, gru, rnn = (teacher.teach_recipe(c) for c in ("lstm", "gru", "rnn"))
    assert (lstm.lr, lstm.distill, lstm.average) == (1.2e-2, 3.0, True)
    assert (gru.distill, gru.average, rnn.lr) == (10.0, False, 5e-4)
    assert teacher.teach_recipe("lstm", TeachRecipe(lr=1e-3, average=False)).lr == 1e-3  # what a recipe sets stays
