import pytest
import torch

from model import CELLS, ModelConfig, RowReader


@pytest.mark.parametrize("cell", CELLS)
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
    assert set(trace) == {"h", "probs", *CELLS[cell].gates}


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


@pytest.mark.parametrize("cell", CELLS)
def test_row_gradient_norms_match_autograd_through_torchs_own_cell(cell):
    """|d loss/d h_t| from `row_gradient_norms` equals autograd on torch's cell run one row at a time."""
    torch.manual_seed(2)
    model = RowReader(ModelConfig(cell=cell, hidden_size=8)).double()
    x, y = torch.rand(3, 28, 28, dtype=torch.float64), torch.tensor([1, 4, 7])
    state, hs = None, []
    for t in range(28):
        out, state = model.rnn(x[:, t : t + 1], state)  # one row; state carries h (and c)
        out.retain_grad()
        hs.append(out)
        state = (out.transpose(0, 1), state[1]) if cell == "lstm" else out.transpose(0, 1)
    torch.nn.functional.cross_entropy(model.out(hs[-1][:, 0]), y, reduction="sum").backward()
    expected = torch.stack([h.grad[:, 0].norm(dim=1) for h in hs], dim=1)  # (3, 28)
    torch.testing.assert_close(model.row_gradient_norms(x, y), expected)
    assert model.row_gradient_norms(x).shape == (3, 28)  # against its own answer by default


@pytest.mark.parametrize("cell", CELLS)
def test_each_cell_trains_a_few_steps_and_predicts(cell):
    torch.manual_seed(3)
    model = RowReader(ModelConfig(cell=cell, hidden_size=16))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    x, y = torch.rand(32, 28, 28), torch.randint(0, 10, (32,))
    losses = []
    for _ in range(40):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] * 0.8  # it can fit a small batch
    assert model(x).shape == (32, 10) and model.trace(x)["probs"].shape == (32, 28, 10)


def test_open_keepers_opens_the_gates_that_keep_and_nothing_else():
    for key, cell in CELLS.items():
        m = RowReader(ModelConfig(cell=key, hidden_size=8, num_layers=2))
        before = {n: p.detach().clone() for n, p in m.named_parameters()}
        m.open_keepers_(1.0)
        for n, p in m.named_parameters():
            if cell.keeper_block is not None and n.startswith("rnn.bias_ih"):
                block = slice(8 * cell.keeper_block, 8 * (cell.keeper_block + 1))
                assert (p[block] == 1).all() and torch.equal(p[: block.start], before[n][: block.start])
            else:
                assert torch.equal(p, before[n]), (key, n)
    # The LSTM's forget gate and the GRU's update gate: at a blank row and a zero state, mostly open (sigmoid(1 + b)).
    x = torch.zeros(1, 1, 28)
    lstm = RowReader(ModelConfig(cell="lstm")).open_keepers_(1.0)
    assert lstm.trace(x)["forget"].mean() > 0.7
    gru = RowReader(ModelConfig(cell="gru")).open_keepers_(1.0)
    assert gru.trace(x)["update"].mean() > 0.7
