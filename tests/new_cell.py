"""A new kind of cell, for the tests that add one: a minimal gated unit (Zhou et al., 2016), one gate that both
resets the state inside the candidate and decides how much of it is kept. Torch has no layer for it, and no code
of the app or the page names it: model.Recurrent runs its step, the page runs the same program."""
from model import Cell

MGU = Cell("MGU", """
    forget = sigmoid(x0 + u0)
    candidate = tanh(x1 + forget * u1)
    h = forget * h + (1 - forget) * candidate
    """, ("forget", "candidate"), "forget")
# Its words in every language: the GRU's texts are about a cell with gates that keep and reset too.
BORROWS = "gru"

TEXTS = {  # its own words for the lesson's cell view (texts.CELL_TEXTS), in every language
    "en": {"panels": "**x**: the pixel rows. **forget** f: near 1 keeps the old state, near 0 replaces it; it also "
                     "scales U·h inside the candidate. **candidate**: the new content (-1 to 1). **hidden** "
                     "h = f·h + (1-f)·candidate. **p**: the belief so far.",
           "gates": "At this row the forget gate keeps on average **{forget:.0%}** of the old hidden state.",
           "low": "Over the whole digit the forget gate is lowest at **row {row}** ({value:.0%}): there the MGU "
                  "replaces most of its state with what that row shows."},
    "zh": {"panels": "**x**：像素行。**遗忘门** f：接近 1 保留旧状态，接近 0 用新内容替换；它也缩放候选值里的 U·h。"
                     "**候选值**：新内容（-1 到 1）。**隐藏状态** h = f·h + (1-f)·候选值。**p**：到这一行为止的判断。",
           "gates": "在这一行，遗忘门平均保留旧隐藏状态的 **{forget:.0%}**。",
           "low": "纵观整个数字，遗忘门在**第 {row} 行**最低（{value:.0%}）：MGU 在这里用这一行的新内容替换了大部分状态。"},
}


def register(cells: dict, texts: dict, key: str = "mgu") -> None:
    """Add the MGU to model.CELLS and its words to texts.TEXTS (dicts a test may restore: monkeypatch's)."""
    cells[key] = MGU
    for lang, words in texts.items():
        words.update({f"{kind}_{key}": TEXTS[lang][kind] for kind in TEXTS[lang]})


def trained(mnist, key: str = "mgu", hidden: int = 32, images: int = 6000):
    """An MGU trained on `images` MNIST digits (seconds, on one CPU thread): a model that reads digits."""
    from train import TrainConfig, train_events

    cfg = TrainConfig(cell=key, hidden_size=hidden, train_size=images, eval_every=10**9, device="cpu")
    *_, last = train_events(cfg, mnist)
    return last.model.eval()
