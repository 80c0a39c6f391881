import pytest
import torch

from model import GATES, ModelConfig, RowReader


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("layers", [1, 2])
def test_trace_reproduces_the_torch_cell(cell, layers):
    torch.manual_seed(0)
    model = RowReader(ModelConfig(cell=cell, hidden_size=16, num_layers=layers)).eval()
    x = torch.rand(5, 28, 28)
    with torch.no_grad():
        r_out, state = model.rnn(x)
        trace = model.trace(x)
        logits = model(x)
    assert logits.shape == (5, 10)
    assert trace["h"].shape == (5, 28, 16)
    torch.testing.assert_close(trace["h"], r_out, rtol=1e-5, atol=1e-6)
    if cell == "lstm":
        torch.testing.assert_close(trace["c"][:, -1], state[1][-1], rtol=1e-5, atol=1e-6)
    # The belief after the last row is exactly the model's answer.
    torch.testing.assert_close(trace["probs"][:, -1], logits.softmax(-1), rtol=1e-5, atol=1e-6)
    assert set(trace) == {"h", "probs", *GATES[cell]}


def test_gates_stay_in_their_ranges():
    torch.manual_seed(1)
    model = RowReader(ModelConfig())
    with torch.no_grad():
        tr = model.trace(torch.rand(3, 28, 28) * 4)  # large inputs push activations to their limits
    for gate in ("forget", "input", "output"):
        assert ((tr[gate] > 0) & (tr[gate] < 1)).all()
    assert (tr["candidate"].abs() <= 1).all() and (tr["h"].abs() < 1).all()
    torch.testing.assert_close(tr["probs"].sum(-1), torch.ones(3, 28))


def test_unknown_cell_is_refused():
    with pytest.raises(ValueError, match="unknown cell"):
        RowReader(ModelConfig(cell="transformer"))
