"""Every word the app shows, in English and Chinese. `text(key, lang, **values)` fills one in.

A number a text states is a {placeholder} the code fills in from the constant it describes; a sentence is one
template per language (lists go one item a line). To add a language: an entry in LANGUAGES and a dict in TEXTS with
every key, the same {placeholders} and format specs as English's (tests/test_app.py checks both, and that every key
is used); the page picks it from Accept-Language or ?lang= and offers it in the language switch.
"""

LANGUAGES = {"en": "English", "zh": "中文"}
CELL_TEXTS = ("panels", "gates", "low")  # each cell's own texts, f"{kind}_{key}" for every key of model.CELLS

TEXTS = {
    "en": {
        "title": "# ✏️ Row by Row\n<span class='subtitle'>Draw a digit. A recurrent network reads it like a sentence: "
                 "**one pixel row per time step**, top to bottom, carrying a hidden state from row to row, and "
                 "answers after row 28.</span>",
        "page_title": "Row by Row: watch a recurrent network read your handwriting",
        "footer": "Built with [Gradio](https://www.gradio.app) · [Use it from code (API)](?view=api)",
        "tab_draw": "Draw",
        "tab_inside": "How it works",
        "tab_train": "Train",
        # Draw
        "canvas_canvas": "Drawing surface: draw one digit here",
        "canvas_hint": "Draw one digit, 0 to 9, big: it is read while you draw.",
        "canvas_keys": "Keyboard: Tab to the canvas; the arrow keys move the pen (Shift: 3 steps), Space puts it "
                       "down or lifts it, Backspace undoes, Delete clears.",
        "canvas_pen_down": "Pen down",
        "announce": "Read as {top}, {p:.0%}.",
        "announce_empty": "The canvas is empty.",
        "numbers": "Numbers behind this picture (tables)",
        "col_row": "Row",
        "col_ink": "Ink in the row (0-28)",
        "col_h": "h: mean of its units",
        "col_top": "Leading digit",
        "col_p": "Its probability",
        "col_second": "Next (probability)",
        "col_mean": "{name}: mean",
        "col_drop": "{cell} (answer {top}): change when blanked, points",
        "col_grad": "{cell}, {over}",
        "grad_title_short": "Error signal left at each row (log10; 0 = all of it)",
        "col_loss_last": "Latest loss",
        "col_loss_low": "Lowest loss",
        "empty_digit": "The digit is empty: no ink to read.",
        "bad_change": "The change must be \"invert\" or \"blank\".",
        "tool_row": "row {row}: mostly {top}, {p:.0%}",
        "tool_settled": "The answer led from row {row} on.",
        "tool_drops": "{cell} (answer {top}), change of its probability when a row is blanked, in points: {drops}",
        "canvas_undo": "↶ Undo",
        "canvas_clear": "✕ Clear",
        "share": "Share a link",
        "bad_link": "⚠️ This link's drawing is damaged, so the canvas starts empty.",
        "reading_alt": "Row-aligned picture: the 28x28 input rows, the hidden state after each row, and the belief "
                       "in each digit after each row.",
        "reader": "Model reading it",
        "mine": "My trained model",
        "prediction": "Prediction",
        "belief": "Belief after each row",
        "rows_read": "rows read",
        "legend_model": "model",
        "legend_run": "run",
        "probability": "probability",
        "empty": "✏️ **Draw a digit (0-9)** on the canvas, or start from one of the MNIST digits below.",
        "weights_error": "⚠️ The trained weights could not be loaded, so this model is untrained and guesses.",
        "caption": "Read as **{top}** ({p:.0%}). The {cell} settled on {top} at **row {row}** of 28 and kept it for "
                   "every row after. Each row of the picture is one time step: the pixels read, the {h} hidden "
                   "units passed on to the next row, and the belief so far.",
        "caption_leaning": "Read as **{top}** ({p:.0%}), but the {cell} is **not sure of it**: {second} comes next "
                           "at {p2:.0%}. It settled on {top} at **row {row}** of 28. Each row of the picture is one "
                           "time step: the pixels read, the {h} hidden units passed on, and the belief so far.",
        "caption_unsure": "The {cell} is **unsure**: {top} at {p:.0%}, then {second}. It is not confident about "
                          "this drawing; try drawing it bigger, or another way. Each row of the picture is one time "
                          "step: the pixels read, the {h} hidden units passed on, and the belief so far.",
        "note_rnn": "ℹ️ A plain RNN has no gates: every row rewrites its whole state, so what it read in the top rows "
                    "fades unless training taught it to keep it. How it works measures which rows its answer rests on.",
        "shipped_model": "Reading with the **shipped {cell}** ({h} hidden units, {acc:.1%} on the MNIST test set).",
        "trained_model": "Reading with **your trained {cell}** ({h} hidden units, {acc:.1%} on the MNIST test set).",
        "picture_title": "Row by row: what the network reads, keeps and believes",
        "picture_help": "Each band is one row of the digit, one time step: x, the pixels read; h, the hidden state "
                        "passed on to the next row (blue -1 to red +1); p, the belief in each digit so far.",
        "loading": "Loading the model…",
        "model_failed": "⚠️ This model could not be loaded in your browser; reload the page to try again.",
        "share_copied": "✓ Link copied",
        "share_select": "Copy the link below",
        "share_kept_taught": "ℹ️ This link opens with the shipped {cell}: your taught model stays in this session, so a "
                             "link cannot carry it.",
        "share_kept_mine": "ℹ️ This link opens with the shipped {cell}: the model you trained stays in this session, so "
                           "a link cannot carry it.",
        "linked_kept_taught": "ℹ️ This link was made while a taught model read the drawing. That model stays in the "
                              "session it was taught in, so this page opened it with the shipped {cell}.",
        "linked_kept_mine": "ℹ️ This link was made while a model trained on this site read the drawing. That model "
                            "stays in the session it was trained in, so this page opened it with the shipped {cell}.",
        "bad_drawing_shape": "The drawing must be 784 numbers (28 rows of 28), as the canvas sends it.",
        "bad_drawing_numbers": "The drawing must be numbers, as the canvas sends it.",
        "bad_drawing_range": "The drawing's numbers must be finite and between 0 and 1.",
        "examples": "Start from an MNIST test digit",
        # Teaching it your handwriting (ui/teach.py; the page fills most in: ui/js/on_teach.js, on_compare.js)
        "teach_empty": "Read wrong? Draw a digit, then say here what it is.",
        # A digit as a noun ("a 7", "an 8"), ten templates a language: the one place that knows how its article goes.
        **{f"a_digit_{d}": f"an {d}" if d == 8 else f"a {d}" for d in range(10)},
        "teach_not": "Not {a_top}? It's:",
        "teach_digit": "It's {a_digit}",
        "teach_sent": "⏳ Sent: a copy of the model is learning it…",
        "teach_teaching": "⏳ Teaching a copy of the {cell} your corrections (so far: {n})… The page keeps reading "
                          "your drawings meanwhile.",
        "teach_checking": "✓ Taught in {seconds:.1f} s (corrections: {n}). {reads} ⏳ Checking what it learned and "
                          "what it forgot…",
        "teach_done": "✓ Taught in {seconds:.1f} s (corrections: {n}). {reads}",
        "teach_reads_taught": "The answer above is your taught model's.",
        "teach_reads_other": "The answer above is not your taught model's: choose it under the model reading it.",
        "teach_forgotten": "Every correction forgotten: the model it started from reads again.",
        "teach_title": "What it learned and what it forgot",
        "teach_count_shipped": "Corrections: **{n}** (at most {cap}), taught to a copy of the shipped {cell}; the "
                               "shipped one itself never changes.",
        "teach_count_mine": "Corrections: **{n}** (at most {cap}), taught to a copy of your trained {cell}.",
        "teach_cap_note": "⚠️ That is the most this page keeps ({cap}): remove one to add another.",
        "teach_moved": "Your last correction was made while the {cell} read, so all of them moved to it: the taught "
                       "{earlier} is replaced.",
        "teach_legend": "Your corrections, as the taught model reads them now (✓ right; ✗ what it still reads):",
        "teach_right": "Your {label}: read right",
        "teach_wrong": "Your {label}: still read as {read}",
        "teach_pending": "Your {label}: being learned",
        "teach_remove": "Remove this {label}",
        "teach_held_title": "Digits of yours it never trained on",
        "teach_held": "**{right} of {n} read right** by copies that never saw them: your corrections were dealt "
                      "into {folds} groups, and each group was read by a copy taught on the other groups only ({folds} "
                      "more teaching runs). Those copies learned from fewer of your digits than your taught model, so "
                      "this slightly underrates it.",
        "teach_held_loo": "**{right} of {n} read right** by copies that never saw them: each correction was read by a "
                          "copy taught on the others only ({n} more teaching runs).",
        "teach_held_one": "With one correction there is nothing else of yours to learn from: the model it started from "
                          "reads it as {read}. Correct more to see how it reads digits it never trained on.",
        "teach_meter_title": "Forgetting meter: the first {digits:,} MNIST test digits",
        "teach_meter": "The model it started from read **{before:.2%}** of them right, your taught one **{after:.2%}** "
                       "({delta:+.2f} points). Images it read right before and misreads now: **{lost:,}**; "
                       "images it misread before and reads right now: **{gained:,}**.",
        "teach_meter_none": "⚠️ It cannot measure forgetting here: MNIST could not be loaded on this server. It was "
                            "taught on your corrections alone, held close to the weights it started from instead of "
                            "replaying MNIST.",
        "teach_points": "{v:+.0f} pt",
        "teach_forget": "Forget all",
        "teach_download": "⬇ Download the taught model",
        "teach_files": "Your taught model (safetensors + JSON)",
        "teach_no_drawing": "Draw the digit first: there is nothing on the canvas to learn from.",
        "teach_bad_label": "A correction must say a digit from 0 to 9, not {value}.",
        "teach_cap": "This page keeps at most {cap} corrections: remove one to add another.",
        "teach_gone": "That correction is already gone.",
        "teach_nothing": "There is no taught model yet: say what a misread digit is first.",
        "taught": "My taught model",
        "taught_shipped": "Reading with **your taught {cell}** (corrections: {corrections}), a copy of the shipped "
                          "{cell} ({h} hidden units).",
        "taught_mine": "Reading with **your taught {cell}** (corrections: {corrections}), a copy of your trained "
                       "{cell} ({h} hidden units).",
        "compare_title": "Your taught model against the one it started from",
        "compare_help": "The digit each believes most after each row of this drawing (darker: surer); outlined red, "
                        "the rows where they disagree.",
        "compare_start": "Started from: {name}",
        "compare_taught": "Taught",
        "compare_same": "On this drawing they agree after every row, ending on **{a}**.",
        "compare_differ": "They disagree after **{n} of 28 rows** ({rows}). After row 28 the model it started from "
                          "says **{a}** ({pa:.0%}), your taught one **{b}** ({pb:.0%}).",
        "compare_none": "Say what a misread digit is on the Draw tab: your taught model is then compared here, row by "
                        "row, with the model it started from.",
        "compare_draw": "Draw a digit on the Draw tab to compare them on it.",
        # How it works
        "lesson": (
            "### One set of weights, 28 times\n"
            "A recurrent network does not see the whole digit at once. At each time step it takes **one row of "
            "28 pixels** and the **hidden state** it produced at the previous row, and applies **the same "
            "weights** to make the next hidden state. Only the last hidden state is turned into an answer.\n\n"
            "**The plain RNN** squeezes all it remembers through one tanh at every row, so what it read at the "
            "top must survive 27 squeezes to reach the answer. Training has the same problem in reverse: the "
            "error signal is multiplied by the same weights at every row on its way back, and can **vanish** "
            "before it reaches the early rows. Whether it does depends on the weights: trained with the LSTM's "
            "learning rate, a plain RNN loses it (watch the Train tab's *RNN vs LSTM* experiment); the shipped one "
            "was started from orthogonal weights and clipped, and keeps it. The three views below measure all of "
            "this on your digit.\n\n"
            "**The LSTM** adds a **cell state** c, a conveyor belt that runs through all rows and is changed only "
            "by multiplying and adding, and three **gates**, each a sigmoid between 0 and 1: the **forget gate** "
            "decides how much of c to keep (near 1 keeps, near 0 forgets), the **input gate** decides how much "
            "of the new **candidate** (a tanh between -1 and 1) to write, and the **output gate** decides how "
            "much of the cell to show as the hidden state h. The **GRU** does the same with two gates."),
        "row_slider": "Rows read so far",
        "play": "▶ Play",
        "pause": "⏸ Pause",
        "inside_title": "Inside the {cell}, row by row (rows not yet read are dimmed)",
        "inside_alt": "The cell's input, gates, cell state, hidden state and belief, one band per row of the digit.",
        "inside_caption": "After **row {row}** of 28 the {cell} leans to **{top}** ({p:.0%}).",
        "gates_lstm": "At this row the forget gate keeps on average **{forget:.0%}** of the cell, the input gate "
                      "writes **{input:.0%}** of the candidate, and the output gate shows **{output:.0%}** of it.",
        "gates_gru": "At this row the update gate keeps on average **{update:.0%}** of the old hidden state and "
                     "the reset gate lets **{reset:.0%}** of it into the candidate.",
        "gates_rnn": "A plain RNN has no gates: the new hidden state is tanh(W·row + U·h), nothing else.",
        "low_lstm": "Over the whole digit the forget gate is lowest at **row {row}** ({value:.0%}): there the cell "
                    "clears most of what it held, to make room for what that row shows.",
        "low_gru": "Over the whole digit the update gate is lowest at **row {row}** ({value:.0%}): there the "
                   "GRU replaces most of its state with what that row shows.",
        "low_rnn": "Nothing decides what to keep: every row rewrites the whole state from the row and the state "
                   "before it. How much of an early row is still in it at row 28 is measured below, in How long it "
                   "remembers.",
        "panels_lstm": (
            "**x**: the pixel rows. **forget** f: pale (near 0) clears old information from the cell, dark blue "
            "(near 1) keeps it. **input** i: how much of the candidate is written. **candidate** g: the new "
            "content (blue -1 to red 1). **output** o: how much of the cell becomes h. **cell** c = f·c + i·g: the "
            "long memory. **hidden** h = o·tanh(c): what is passed to the next row and, at row 28, to the answer. "
            "**p**: the belief so far."),
        "panels_gru": (
            "**x**: the pixel rows. **reset** r: how much of the old state feeds the candidate. **update** z: "
            "near 1 keeps the old state, near 0 replaces it. **candidate**: the new content (-1 to 1). "
            "**hidden** h = (1-z)·candidate + z·h: passed to the next row and, at row 28, to the answer. "
            "**p**: the belief so far."),
        "panels_rnn": "**x**: the pixel rows. **hidden** h = tanh(W·row + U·h): the only memory a plain RNN "
                      "has, rewritten at every row. **p**: the belief so far.",
        "map_title": "### A map of its memory: your digit's path, row by row",
        "map_text": "Each model carries its hidden state, {h} numbers, from row to row. Here those numbers are flattened "
                    "to two by one fixed projection, fitted once on MNIST (PCA or LDA, whichever keeps the digits "
                    "apart best on test digits it never saw; `python memory_map.py`). The coloured dots are where "
                    "test digits end after row 28, a colour and a label per digit: each digit has a region. The line "
                    "is your drawing's path from row 1 to row 28 (some rows numbered, the last row a black "
                    "dot); the dashed ring marks the row where the answer settled.",
        "map_panel": "**{cell}**: map by {method}; {acc:.0%} of held-out test digits end in their own digit's region.",
        "map_empty": "Draw a digit on the Draw tab to see its path across this map.",
        "map_path": "On this map your {top} passed near the {past}s until row {until}, turned towards the {top}s at "
                    "row {turn} and stayed there.",
        "map_stayed": "On this map your {top} stayed near the {top}s from row 1 to row 28.",
        "map_elsewhere": "Your {top} ends nearest the {end}s on this map: two dimensions cannot hold everything the "
                         "hidden state holds.",
        "map_settled": "The answer settled on {top} at **row {row}** (the dashed ring). The answer reads the whole "
                       "hidden state and the map shows two directions of it, so the path may reach the {top}s at "
                       "another row.",
        "probe_maps_title": "The probe's path across the memory: on your new model's own map, and on a shipped model's",
        "map_yours": "Your trained {cell}",
        "map_shipped": "The shipped {cell}",
        "map_alt": "Map of the {cell}'s memory: ten digit regions, labelled 0 to 9, and your drawing's path from row "
                   "1 to row 28.",
        "decided_title": "### Which rows decided it",
        "decided_text": "Each row of your digit is blanked in turn, and each model reads the digit again: the bar is "
                        "how much the probability of its answer falls (red) or rises (blue). Long bars are the rows "
                        "the answer rests on. Empty rows change nothing.",
        "decided_alt": "Your digit's rows, and for each model a bar per row: how much blanking that row changes "
                        "the probability of its answer.",
        "decided_rows": "The {cell}'s answer ({top}) rests on {rows}, {where} of the digit.",
        "decided_panel": "{cell}: {top}",
        "decided_order": "On a narrow screen the panels go untitled: after x, left to right, {panels}.",
        "decided_scale": "Every panel has the same scale: a full bar is {points:.0%} of probability (red: blanking the "
                         "row lowers the answer's probability; blue: raises it).",
        "rows_one": "row {rows}",
        "rows_many": "rows {rows}",
        "decided_none": "No single row decides the {cell}'s answer ({top}): blanking any one lowers its "
                        "probability by less than {points} points.",
        "where_top": "at the top",
        "where_middle": "in the middle",
        "where_bottom": "at the bottom",
        "memory_title": "### How long it remembers",
        "memory_text": "Change one row of your digit and follow the difference that makes to the state at every "
                       "later row, relative to its size at that row (1 = all of it). A plain RNN rewrites its whole "
                       "state at every row; an LSTM changes its cell state c only through its gates.",
        "memory_row": "Row to change",
        "memory_change": "Change it by",
        "invert": "inverting it",
        "blank": "blanking it",
        "memory_plot": "Share of the change still in the state",
        "legend_state": "state",
        "memory_caption": "You changed row {row}. At row 28, this much of the change is still in each state (100% = "
                          "all of it):",
        "memory_kept": "- the {cell}'s {state}: **{share:.0%}**",
        "memory_grew": "Above 100%: the change grew on its way down the rows, so at row 28 such a state differs more "
                       "than it did at the row you changed.",
        "memory_above": "On this digit the {cell}'s h, which no gate guards, holds more of the change than every gated "
                        "cell's h: not the textbook picture, in which gates are what keep it.",
        "memory_below": "On this digit the {cell}'s h, which no gate guards, holds less of the change than every gated "
                        "cell's h: the textbook picture, in which gates are what keep it.",
        "memory_between": "On this digit the {most}'s h holds the most of the change and the {least}'s h the least; the "
                          "{cell}'s h, which no gate guards, holds less than one gated cell's and more than another's.",
        "memory_nothing": "Row {row} is empty, so blanking it changes nothing: invert it, or pick a row with ink.",
        "grad_title": "### How much of the error signal survives back to row t",
        "grad_text": "Training corrects each row through the error signal dL/dh_t (L is the loss) that reaches it. Each "
                     "line is that signal's size at row t relative to its size at row 28, on a log scale: it starts "
                     "at 0 on the right, and how steeply it falls to the left is how much is lost on the way back. "
                     "Left: your digit, against the answer each model gave. Right: {n} MNIST test digits.",
        "grad_caption": "Measured on the first {n} MNIST test digits: the size of the error signal at row 1 as a share "
                        "of its size at row 28, for each digit, averaged on the chart's log scale. For each cell:",
        "grad_above": "Here the {cell}, which has no gates, keeps more of its error signal than every gated cell: not "
                      "the textbook picture, in which gates are what keep it.",
        "grad_below": "Here the {cell}, which has no gates, keeps less of its error signal than every gated cell: the "
                      "textbook picture, in which gates are what keep it.",
        "grad_between": "Here the {most} keeps the most of its error signal and the {least} the least; the {cell}, "
                        "which has no gates, keeps less than one gated cell and more than another.",
        "grad_short": "So these 28 rows do not show the notes' claim that a plain RNN's error signal vanishes over a "
                      "long sequence while an LSTM's cell state carries it: here the {cell} does not lose more of it "
                      "than every gated cell. 28 rows is a short sequence.",
        "grad_long": "The long-memory experiment on the Train tab tests the claim where it is made: the digit, then "
                     "{blank} blank rows to carry it across before the answer. Measured in this app over {seeds} "
                     "seeds, one epoch each (mean ± half the range): the {gated} read **{gated_acc:.0%}** ± "
                     "{gated_acc_spread:.0%} of the MNIST test set right and the {plain} **{plain_acc:.0%}** ± "
                     "{plain_acc_spread:.0%}; the error signal at row 1, against the last row, was "
                     "**{gated_decades:+.1f}** ± {gated_spread:.1f} for the {gated} and **{plain_decades:+.1f}** ± "
                     "{plain_spread:.1f} for the {plain}.",
        "grad_long_held": "There the notes' claim holds: the {gated}, its state guarded by gates, keeps more of the "
                          "error signal across the blank rows and reads more digits right.",
        "grad_long_not": "There the notes' claim does not hold on both counts: the {gated} does not both keep more "
                         "of the error signal at row 1 and read more digits right.",
        "grad_no_mnist": "The test-digit curves need the MNIST test set, which could not be loaded here.",
        "grad_fall": "- the {cell}'s: **{share}** ({decades:+.2f} on the chart's log scale, as in its table)",
        "grad_digit": "Your digit",
        "grad_test": "{n} test digits",
        "row": "row",
        "memory_y": "share of the change still there",
        "grad_y": "error signal left (log10; 0 = all of it)",
        # Train
        "cell": "Cell",
        "hidden": "Hidden units",
        "lr": "Learning rate (Adam)",
        "batch": "Batch size",
        "epochs": "Epochs",
        "train_size": "Training images",
        "seed": "Seed",
        "augment": "Augment (random affine, stroke width)",
        "train": "Train",
        "stop": "Stop",
        "train_intro": "Defaults are the original program's recipe: {cell}({input}→{hidden}) → Linear({hidden}→{classes}), "
                       "Adam {lr:g}, batch {batch}, epochs {epochs}. Press Train and watch it learn; Stop keeps what it "
                       "has learned so far.",
        "estimate": "{steps:,} steps of {batch} images: about {seconds:.0f} s on this server now.",
        "exp_time": "{runs} runs, about {seconds:.0f} s",
        "settings": "Settings",
        "loss_plot": "Training loss (smoothed)",
        "acc_plot": "Test accuracy (first {eval_size:,} test digits)",
        "grad_plot": "Error signal surviving back to each row, relative to the last row (latest check)",
        "images_seen": "images seen",
        "loss": "loss",
        "test_accuracy": "test accuracy",
        "probe_alt": "The probe digit's rows, its hidden state after each row and its belief after each row.",
        "confusion": "Confusion matrix: rows are the true digit, columns what the network read",
        "probe_title": "#### A probe digit, read by the network as it learns (same layout as the Draw tab)",
        "end_title": "#### At the end of {run}: confusion matrix and misread digits (full {total:,}-image test set)",
        "mistakes": "Misread: true → read",
        "use": "Use this model in the Draw tab",
        "download": "Download the trained model (safetensors + JSON config)",
        "status": "**{run}** · step {step:,} of {total:,} · epoch {epoch} · loss {loss:.3f} · {sps:,.0f} images/s "
                  "· about {eta:.0f} s left",
        "starting": "**{run}** · Starting…",
        "stopping": "**{run}** · Stopping after this step…",
        "done": "### Done: {acc:.2%} on the full MNIST test set ({wrong:,} of {total:,} digits misread) · {run}",
        "stopped": "### Stopped: {acc:.2%} on the full MNIST test set ({wrong:,} of {total:,} digits misread) · {run}",
        "next_run": "**{run}**: {acc:.2%} on the full MNIST test set. Next run starting…",
        "earlier_run": "**{run}**: {acc:.2%} on the full MNIST test set.",
        "left_line": "You left the line; nothing was trained.",
        "probe_yours": "**Your digit** (you said it is **{a_target}**), as this run reads it: {strip}",
        "probe_unlabelled": "**Your digit** (the shipped {judge} reads it as **{shipped}**), as this run reads it: "
                            "{strip}\n\nNo label of yours to judge it by, so nothing here says whether it is read "
                            "right: tell it what this is under the answer on the Draw tab (“Not a …? It's:”), then "
                            "train again.",
        "probe_test": "**Test digit #0** (**{a_target}**), as this run reads it: {strip}",
        "probe_right": "✓ First read right after {images:,} images.",
        "experiments_title": "#### One-click experiments",
        "exp_cells": "RNN vs LSTM, same recipe",
        "exp_cells_look": "The original recipe (Adam {lr:g}, epochs: {epochs}) for a plain RNN, then an LSTM. The RNN climbs "
                          "to about half right and slides back, far below the LSTM; on the gradient chart less of its "
                          "error signal gets back to the top rows (the left end of its line is lower).",
        "exp_lr": "Three learning rates",
        "exp_lr_look": "An LSTM at {lr1:g}, {lr2:g} and {lr3:g}. Too large and the loss jumps about and stalls; too small "
                       "and it falls slowly; the middle one learns fastest.",
        "exp_memory": "Small vs normal memory",
        "exp_memory_look": "{hidden_size1} hidden units, then {hidden_size2}. With {hidden_size1} numbers to carry from row to row, the LSTM still "
                           "learns, but it ends many points lower.",
        "exp_long": "Long memory: RNN vs LSTM",
        "exp_long_look": "The notes' setting: the digit, then {blank_rows1} blank rows, then the answer, so the "
                         "network must carry the digit across them. A plain RNN, then an LSTM, one epoch each (Adam "
                         "{lr1:g}, the gradient's norm clipped at {clip1}, the LSTM's forget gates starting open: bias "
                         "{keeper_bias1}). The notes say the RNN's error signal fades on its way back across the "
                         "blank rows and the LSTM's cell state carries it. On the gradient chart rows 1-28 are the "
                         "digit: the lower a line's left end, the less error signal reaches it. What this press found "
                         "is said here when its runs end.",
        "long_run": "- the {cell}: **{acc:.1%}** of the test set read right; error signal at row 1 (the digit's top "
                    "row) against the last row: **{decades:+.1f}** on the chart's log scale",
        "long_held": "The {gated} read **{points:.0f}** points more of the test set right than the {plain}, and "
                     "**{decades:.1f}** more decades of the error signal reached row 1: what the notes say, seen in "
                     "this press.",
        "long_not": "This press does not show the notes' claim on both counts: against the {plain}, the {gated}'s "
                    "accuracy differs by **{points:+.0f}** points and its error signal at row 1 by "
                    "**{decades:+.1f}** decades.",
        "use_long": "This model answers after {rows} rows (the digit, then {blank} blank rows); the Draw tab reads "
                    "28. Train one without blank rows to read your drawings with it.",
        "clear_runs": "Clear the charts",
        "nothing_training": "Nothing is training.",
        "train_first": "Train a model first.",
        "train_failed": "Training failed: {error}",
        "no_mnist": "Training needs the MNIST digits, which this server could not load.",
        "bad_numbers": "Training settings must be numbers: {error}",
        "bad_cell": "Cell type must be one of {cells}, not {cell!r}.",
        "bad_lr": "Learning rate must be between 0 and 1.",
        # Limits (preprocess.py, ui/api.py, training_run.py, limits.py)
        "img_unreadable": "{name} is not an image file we can read (PNG, JPEG, WebP, GIF, BMP or TIFF).",
        "img_bytes_unreadable": "The picture sent is not an image file we can read (PNG, JPEG, WebP, GIF, BMP or TIFF).",
        "img_too_big": "The image is {w}x{h} pixels; at most {side} on a side, please.",
        "img_too_many_pixels": "The image has more than {pixels:,} pixels; at most {side} on a side, please.",
        "img_ragged": "Expected an image, got a ragged list of numbers.",
        "img_not_numbers": "Expected an image of numbers, got {kind} of {dtype}.",
        "img_shape": "Expected an image of shape (height, width) with 1-4 channels, got {shape}.",
        "img_sketch_keys": "A Sketchpad value needs 'background', 'layers' or 'composite', got keys {keys}.",
        "img_sketch_layers": "A Sketchpad value's 'layers' must be a list of images, not {kind}.",
        "not_uploaded": "Send the image as a file upload (gradio_client: handle_file(path)); only files uploaded to "
                        "this app are read.",
        "not_a_file": "The image must be a file: send it with gradio_client's handle_file(path); got {value}.",
        "bad_choice": "The model must be one of {choices}; got {value}.",
        "train_waiting": "⏳ Waiting in line: {position} of {size}, about {seconds} s until yours starts. One run "
                         "trains at a time on this server; yours starts when the runs before it end.",
        "train_queue_full": "⏳ The training queue is full. Try again in about {minutes} min.",
        "busy_event": "⏳ Your previous request of this kind is still waiting for its answer (one at a time per "
                      "visitor): wait for it, then try again.",
        "busy_address": "⏳ Too many requests of this kind from your network are waiting for an answer: try again in "
                        "a few seconds.",
        "new_sessions": "⏳ Too many new visits from your network in the last minute: try again in a minute.",
        "no_such_event": "There is no such event: fn_index must be one of this app's events (0 to {last}).",
        "bad_row": "The row must be a number from 1 to 28.",
        "train_yours": "You already have a run training or waiting in line (one at a time per visitor): stop it, or try "
                       "again in about {minutes} min.",
        "too_large": "The request is too large: at most {mb} MB.",
        "url_too_long": "The address is too long: at most {n:,} characters.",
        # The guided lesson (ui/lesson.py, ui/js/on_lesson.js)
        "lesson_start": "🎓 Take the lesson ({n} steps)",
        "lesson_count": "Lesson · step {n} of {total}",
        "lesson_close": "Close the lesson",
        "lesson_fold": "▾ Fold",
        "lesson_unfold": "▴ Open",
        "lesson_back": "← Back",
        "lesson_next": "Next →",
        "lesson_finish": "Finish",
        "lesson_check": "Check",
        "lesson_draw_first": "Draw a digit on the Draw tab (or pick an example): the questions are about your drawing.",
        "lesson_refused": "⚠️ This link carries fields the app does not know or al"
                          "low ({fields}), so it opens as usual.",
        "lesson_right": "✓ **Right**: {truth}. {why}",
        "lesson_wrong": "✗ **Not this time**: it was {truth}. {why}",
        "lesson_tally": "You predicted **{right} of {asked}** right.",
        "lesson_answers": "The questions and the true answers for this drawing",
        "lesson_col_question": "Question",
        "lesson_col_yours": "You said",
        "lesson_col_truth": "True answer",
        "lesson_rows_title": "It reads one row per step",
        "lesson_rows_body": "The network never sees the whole digit. At each step it reads **one row of 28 pixels**, top to "
                            "bottom, and after each row it says what it believes so far.",
        "lesson_q_settle": "From which row on will the LSTM keep the answer it ends with?",
        "lesson_c_settle_early": "before row {early}",
        "lesson_c_settle_middle": "from row {early}, before row {late}",
        "lesson_c_settle_late": "row {late} or later",
        "lesson_why_settle_early": "The belief lines show {top} leading from row {row} on: the top of your digit was enough.",
        "lesson_why_settle_middle": "The belief lines show {top} leading from row {row} on, once the middle was read.",
        "lesson_why_settle_late": "The belief lines show {top} leading only from row {row}: the bottom rows decided.",
        "lesson_state_title": "Same weights, and a memory",
        "lesson_state_body": "Every row goes through **the same weights**. What links the rows is the **hidden state**: each row's "
                             "state is made from the row and the state before it, so it carries what it saw.",
        "lesson_q_lean": "At row {row}, just past half, will the LSTM already lean to its final answer?",
        "lesson_c_lean_yes": "yes",
        "lesson_c_lean_no": "no",
        "lesson_why_lean_yes": "At row {row} it already led with {lean}, the digit it ends on.",
        "lesson_why_lean_no": "At row {row} it led with {lean}; the state changed its mind to {top} later.",
        "lesson_decided_title": "Which rows decided it",
        "lesson_decided_body": "Blank one row and read again: the bars show how much each row's loss costs the answer.",
        "lesson_q_blank": "Blank the one row that matters most. Will the LSTM change its answer?",
        "lesson_c_blank_yes": "yes, it changes",
        "lesson_c_blank_no": "no, it keeps it",
        "lesson_why_blank_yes": "Without row {row} it reads {after}, not {top}: that row carried the answer.",
        "lesson_why_blank_no": "Without row {row} it still reads {top}: the other rows hold enough of it.",
        "lesson_why_blank_none": "No single row decides it: blanking any one lowers its probability of {top} by less than "
                                 "{points} points, so it still reads {top}.",
        "lesson_plain_title": "A cell without gates",
        "lesson_plain_body": "The plain RNN has no gates: at every row it makes its whole state h anew from the row and the h "
                             "before it. Here it reads your digit; its p band shows what it leans to after each row.",
        "lesson_q_rnn_lean": "At row {row}, will the plain RNN already lean to the digit it ends on?",
        "lesson_c_rnn_lean_yes": "yes",
        "lesson_c_rnn_lean_no": "no",
        "lesson_why_rnn_lean_yes": "At row {row} it led with {lean}, its final answer; it holds it from row {settled} to "
                                   "the end.",
        "lesson_why_rnn_lean_no": "At row {row} it led with {lean}; what it ends on, {top}, comes from later rows.",
        "lesson_gates_title": "The LSTM's gates",
        "lesson_gates_body": "The LSTM keeps a second state, **c**. Its **forget gate** says how much of c to keep at each row, "
                             "its **input gate** how much of the new row to write in.",
        "lesson_q_forget": "Where will the forget gate be lowest, dropping most of what it kept?",
        "lesson_c_forget_top": "in rows 1 to {top}",
        "lesson_c_forget_lower": "further down",
        "lesson_why_forget_top": "It was lowest at row {row} ({value:.2f}), near the top: there it cleared most of c.",
        "lesson_why_forget_lower": "It was lowest at row {row} ({value:.2f}): there it cleared most of c for what that row "
                                   "shows.",
        "lesson_error_title": "The error signal",
        "lesson_error_body": "Training sends the error back from row 28 through every row. The chart shows how much of it reaches "
                             "each row: where it vanishes, early rows cannot learn.",
        "lesson_q_error": "Which will keep more of the error signal at row {row} of your digit: the {plain} or the {gated}?",
        "lesson_c_error_plain": "the {plain}",
        "lesson_c_error_gated": "the {gated}",
        "lesson_why_error_plain": "At row {row} the {plain} keeps {plain_share:.1%} of it ({plain_log:+.2f} on the chart), the "
                                  "{gated} {gated_share:.1%} ({gated_log:+.2f}): over only 28 rows, the {plain}'s signal "
                                  "does not vanish faster.",
        "lesson_why_error_gated": "At row {row} the {gated} keeps {gated_share:.1%} of it ({gated_log:+.2f} on the chart), the "
                                  "{plain} {plain_share:.1%} ({plain_log:+.2f}): on your digit the {gated}'s cell carried "
                                  "more of it back.",
        "lesson_train_title": "Train it yourself",
        "lesson_train_body": "A new network starts from random weights and learns from MNIST's images, a batch at a time. "
                             "Beside its charts, **your digit** as it reads it at each check.",
        "lesson_q_trained": "Press Train with its starting settings (a new {cell}). After {images:,} images, will it "
                            "already read your digit as {top}, as the shipped {cell} does?",
        "lesson_c_trained_yes": "yes",
        "lesson_c_trained_no": "no, not yet",
        "lesson_why_trained_yes": "After {images:,} images the new {cell} read it as {read}, as the shipped one does.",
        "lesson_why_trained_no": "After {images:,} images the new {cell} read it as {read}, not yet {top} as the shipped one does.",
        "lesson_wait_train": "Now press **Train**: the answer comes at the run's check after {images:,} images.",
    },
    "zh": {
        "title": "# ✏️ 逐行读数\n<span class='subtitle'>写一个数字。循环神经网络像读句子一样读它：**每个时间步读一行像素**，"
                 "从上到下，把隐藏状态一行行传下去，读完第 28 行才给出答案。</span>",
        "page_title": "逐行读数：看循环神经网络读你的手写数字",
        "footer": "使用 [Gradio](https://www.gradio.app) 构建 · [用代码调用（API）](?view=api)",
        "tab_draw": "手写",
        "tab_inside": "原理",
        "tab_train": "训练",
        "canvas_canvas": "画板：在这里写一个数字",
        "canvas_hint": "写一个 0 到 9 的数字，写大一点：边写边识别。",
        "canvas_keys": "键盘：按 Tab 移到画板；方向键移动笔（按住 Shift 一次走 3 格），空格键落笔或抬笔，"
                       "Backspace 撤销，Delete 清除。",
        "canvas_pen_down": "落笔",
        "announce": "识别为 {top}，{p:.0%}。",
        "announce_empty": "画板是空的。",
        "numbers": "这张图背后的数字（表格）",
        "col_row": "行",
        "col_ink": "这一行的墨迹（0-28）",
        "col_h": "h：各单元的平均值",
        "col_top": "领先的数字",
        "col_p": "它的概率",
        "col_second": "其次（概率）",
        "col_mean": "{name}：平均",
        "col_drop": "{cell}（答案 {top}）：抹掉这一行后的变化（百分点）",
        "col_grad": "{cell}，{over}",
        "grad_title_short": "每一行剩下的误差信号（log10；0 = 全部）",
        "col_loss_last": "最新损失",
        "col_loss_low": "最低损失",
        "empty_digit": "这个数字是空的：没有墨迹可读。",
        "bad_change": "改动必须是 \"invert\"（反转）或 \"blank\"（抹掉）。",
        "tool_row": "第 {row} 行：多半是 {top}，{p:.0%}",
        "tool_settled": "从第 {row} 行起，答案一直领先。",
        "tool_drops": "{cell}（答案 {top}），抹掉一行后它的概率变化（百分点）：{drops}",
        "canvas_undo": "↶ 撤销",
        "canvas_clear": "✕ 清除",
        "share": "分享链接",
        "bad_link": "⚠️ 链接里的数字已损坏，画板从空白开始。",
        "reading_alt": "逐行对齐的图：28x28 输入的每一行、每行之后的隐藏状态，以及每行之后对每个数字的判断。",
        "reader": "读数字的模型",
        "mine": "我训练的模型",
        "prediction": "预测",
        "belief": "每读一行后的判断",
        "rows_read": "已读行数",
        "legend_model": "模型",
        "legend_run": "训练",
        "probability": "概率",
        "empty": "✏️ 在画板上**写一个数字（0-9）**，或从下方的 MNIST 数字开始。",
        "weights_error": "⚠️ 训练好的权重无法加载，当前模型未经训练，只能瞎猜。",
        "caption": "识别为 **{top}**（{p:.0%}）。{cell} 在第 28 行中的**第 {row} 行**认定是 {top}，之后每一行都没有改变。"
                   "图中每一行是一个时间步：读入的像素、传给下一行的 {h} 个隐藏单元，以及到这一行为止的判断。",
        "caption_leaning": "识别为 **{top}**（{p:.0%}），但 {cell} **并不确定**：其次是 {second}（{p2:.0%}）。"
                           "它在第 28 行中的**第 {row} 行**认定是 {top}。图中每一行是一个时间步：读入的像素、"
                           "传下去的 {h} 个隐藏单元，以及到这一行为止的判断。",
        "caption_unsure": "{cell} **拿不准**：{top} 只有 {p:.0%}，其次是 {second}。它对这个数字没有把握，"
                          "试着写大一点，或者换一种写法。图中每一行是一个时间步：读入的像素、传下去的 {h} 个隐藏单元，"
                          "以及到这一行为止的判断。",
        "note_rnn": "ℹ️ 普通 RNN 没有门：每读一行都会改写整个状态，所以顶部几行读到的信息会淡去，除非训练教会了它保留。"
                    "“原理”页量出了它的答案依靠哪几行。",
        "shipped_model": "当前使用**预训练的 {cell}**（{h} 个隐藏单元，MNIST 测试集准确率 {acc:.1%}）。",
        "trained_model": "当前使用**你训练的 {cell}**（{h} 个隐藏单元，MNIST 测试集准确率 {acc:.1%}）。",
        "picture_title": "逐行展示：网络读到了什么、记住了什么、认为是什么",
        "picture_help": "每一横条是数字的一行，也就是一个时间步：x 是读入的像素；h 是传给下一行的隐藏状态"
                        "（蓝 -1 到红 +1）；p 是到这一行为止对每个数字的判断。",
        "loading": "正在加载模型……",
        "model_failed": "⚠️ 浏览器无法加载这个模型；请刷新页面再试。",
        "share_copied": "✓ 链接已复制",
        "share_select": "请复制下面的链接",
        "share_kept_taught": "ℹ️ 这个链接打开时使用预训练的 {cell}：你教过的模型只留在这次会话里，链接带不走它。",
        "share_kept_mine": "ℹ️ 这个链接打开时使用预训练的 {cell}：你训练的模型只留在这次会话里，链接带不走它。",
        "linked_kept_taught": "ℹ️ 这个链接是在一个教过的模型读这幅图时生成的。那个模型只留在教它的那次会话里，"
                              "所以这个页面用预训练的 {cell} 打开了它。",
        "linked_kept_mine": "ℹ️ 这个链接是在一个在本站训练的模型读这幅图时生成的。那个模型只留在训练它的那次会话里，"
                            "所以这个页面用预训练的 {cell} 打开了它。",
        "bad_drawing_shape": "手写数字必须是 784 个数（28 行，每行 28 个），和画板发送的一样。",
        "bad_drawing_numbers": "手写数字必须由数字组成，和画板发送的一样。",
        "bad_drawing_range": "手写数字中的数必须是有限的，并且在 0 到 1 之间。",
        "examples": "从一个 MNIST 测试集数字开始",
        "teach_empty": "读错了？先写一个数字，再在这里告诉它是几。",
        **{f"a_digit_{d}": f"{d}" for d in range(10)},
        "teach_not": "不是 {a_top}？它是：",
        "teach_digit": "它是 {a_digit}",
        "teach_sent": "⏳ 已发送：模型的一个副本正在学习……",
        "teach_teaching": "⏳ 正在用你的纠正（目前 {n} 处）教 {cell} 的一个副本……这期间页面照常读你写的数字。",
        "teach_checking": "✓ 已教完（{n} 处纠正），用时 {seconds:.1f} 秒。{reads}⏳ 正在检查它学到了什么、忘了什么……",
        "teach_done": "✓ 已教完（{n} 处纠正），用时 {seconds:.1f} 秒。{reads}",
        "teach_reads_taught": "上面的答案来自你教过的模型。",
        "teach_reads_other": "上面的答案不是你教过的模型给出的：在读数字的模型里选它，就由它来读。",
        "teach_forgotten": "所有纠正都已忘掉：重新由最初的模型来读。",
        "teach_title": "它学到了什么，又忘了什么",
        "teach_count_shipped": "**{n}** 处纠正（最多 {cap} 处），教给了预训练 {cell} 的一个副本（预训练模型本身从不改变）。",
        "teach_count_mine": "**{n}** 处纠正（最多 {cap} 处），教给了你训练的 {cell} 的一个副本。",
        "teach_cap_note": "⚠️ 本页最多保留 {cap} 处纠正：删掉一处才能再加。",
        "teach_moved": "你最后一处纠正是在 {cell} 读的时候做的，所以所有纠正都改教它：先前教过的 {earlier} 已被替换。",
        "teach_legend": "你的纠正，以及教过的模型现在怎么读它们（✓ 读对；✗ 仍然读成的数字）：",
        "teach_right": "你的 {label}：读对了",
        "teach_wrong": "你的 {label}：仍读成 {read}",
        "teach_pending": "你的 {label}：正在学",
        "teach_remove": "删除这个 {label}",
        "teach_held_title": "它从没学过的你的数字",
        "teach_held": "没见过它们的副本**读对了 {n} 个中的 {right} 个**：你的纠正被分成 {folds} 组，每组由只学过其他组的副本来读"
                      "（多教 {folds} 次）。这些副本学到的你的数字比教过的模型少，所以这个数略微低估了它。",
        "teach_held_loo": "没见过它们的副本**读对了 {n} 个中的 {right} 个**：每处纠正由只学过其他纠正的副本来读（多教 {n} 次）。",
        "teach_held_one": "只有一处纠正时，没有你的其他数字可学：最初的模型把它读成 {read}。多纠正几处，就能看到它怎么读从没学过的数字。",
        "teach_meter_title": "遗忘表：MNIST 测试集的前 {digits:,} 个数字",
        "teach_meter": "最初的模型读对了 **{before:.2%}**，你教过的模型读对了 **{after:.2%}**（{delta:+.2f} 个百分点）："
                       "原来读对、现在读错的图片有 **{lost:,}** 张；原来读错、现在读对的图片有 **{gained:,}** 张。",
        "teach_meter_none": "⚠️ 这里无法测量遗忘：服务器加载不了 MNIST。模型只用你的纠正来教，没有重放 MNIST，而是让它靠近原来的权重。",
        "teach_points": "{v:+.0f} 个百分点",
        "teach_forget": "全部忘掉",
        "teach_download": "⬇ 下载教过的模型",
        "teach_files": "你教过的模型（safetensors + JSON）",
        "teach_no_drawing": "请先写数字：画板上没有可学的内容。",
        "teach_bad_label": "纠正必须是 0 到 9 中的一个数字，而不是 {value}。",
        "teach_cap": "本页最多保留 {cap} 处纠正：删掉一处才能再加。",
        "teach_gone": "这处纠正已经删除了。",
        "teach_nothing": "还没有教过的模型：先告诉它一个读错的数字是几。",
        "taught": "我教过的模型",
        "taught_shipped": "当前使用**你教过的 {cell}**（{corrections} 处纠正），它是预训练 {cell} 的一个副本（{h} 个隐藏单元）。",
        "taught_mine": "当前使用**你教过的 {cell}**（{corrections} 处纠正），它是你训练的 {cell} 的一个副本（{h} 个隐藏单元）。",
        "compare_title": "你教过的模型与最初的模型对比",
        "compare_help": "读完这个数字的每一行后，两个模型最相信的数字（颜色越深越确定）；红框标出它们意见不同的行。",
        "compare_start": "最初：{name}",
        "compare_taught": "教过",
        "compare_same": "对这个数字，它们读完每一行后的看法都一样，最后都是 **{a}**。",
        "compare_differ": "它们在 **28 行中的 {n} 行**后意见不同（{rows}）。读完第 28 行，最初的模型说 **{a}**（{pa:.0%}），"
                          "你教过的模型说 **{b}**（{pb:.0%}）。",
        "compare_none": "在“手写”页告诉它一个读错的数字是几：你教过的模型就会在这里和最初的模型逐行对比。",
        "compare_draw": "在“手写”页写一个数字，就能在这里对比它们。",
        "lesson": (
            "### 同一组权重，用 28 次\n"
            "循环神经网络不会一眼看完整个数字。每个时间步，它拿到**一行 28 个像素**和上一行产生的**隐藏状态**，"
            "用**同一组权重**算出新的隐藏状态。只有最后一个隐藏状态会被变成答案。\n\n"
            "**普通 RNN** 每读一行都要把记住的一切挤过一次 tanh，所以顶部读到的信息要经过 27 次挤压才能到达答案。"
            "训练时问题反过来出现：误差信号往回传时每一行都要乘上同一组权重，可能还没传到前面几行就**消失**了。"
            "会不会消失取决于权重：用 LSTM 的学习率训练，普通 RNN 就会丢掉它（看“训练”页的 *RNN 对比 LSTM* 实验）；"
            "预训练的 RNN 从正交权重出发并做了梯度裁剪，保住了它。下面三个视图用你写的数字把这些都量了出来。\n\n"
            "**LSTM** 多了一条**细胞状态** c，像一条贯穿所有行的传送带，只通过乘法和加法改动；还有三个**门**，"
            "每个都是 0 到 1 之间的 sigmoid：**遗忘门**决定 c 保留多少（接近 1 保留，接近 0 遗忘），"
            "**输入门**决定写入多少新的**候选值**（-1 到 1 之间的 tanh），**输出门**决定把多少细胞状态作为隐藏状态 h "
            "输出。**GRU** 用两个门做同样的事。"),
        "row_slider": "已读到第几行",
        "play": "▶ 播放",
        "pause": "⏸ 暂停",
        "inside_title": "{cell} 内部，逐行展示（尚未读到的行变暗）",
        "inside_alt": "循环单元的输入、各个门、细胞状态、隐藏状态和判断，数字的每一行对应一条横带。",
        "inside_caption": "读完**第 {row} 行**（共 28 行）后，{cell} 倾向于 **{top}**（{p:.0%}）。",
        "gates_lstm": "在这一行，遗忘门平均保留细胞状态的 **{forget:.0%}**，输入门写入候选值的 **{input:.0%}**，"
                      "输出门输出其中的 **{output:.0%}**。",
        "gates_gru": "在这一行，更新门平均保留旧隐藏状态的 **{update:.0%}**，重置门让其中 **{reset:.0%}** 进入候选值。",
        "gates_rnn": "普通 RNN 没有门：新的隐藏状态就是 tanh(W·行 + U·h)，别无其他。",
        "low_lstm": "纵观整个数字，遗忘门在**第 {row} 行**最低（{value:.0%}）：细胞在这里清掉了大部分旧内容，为这一行的新信息腾出位置。",
        "low_gru": "纵观整个数字，更新门在**第 {row} 行**最低（{value:.0%}）：GRU 在这里用这一行的新内容替换了大部分状态。",
        "low_rnn": "没有任何东西决定保留什么：每一行都用这一行和之前的状态改写整个状态。早先的一行到第 28 行还剩多少，"
                   "在下面的“它能记多久”里测量。",
        "panels_lstm": (
            "**x**：像素行。**遗忘门** f：浅色（接近 0）清除细胞里的旧信息，深蓝（接近 1）保留。"
            "**输入门** i：候选值写入多少。**候选值** g：新内容（蓝 -1 到红 1）。**输出门** o：细胞状态有多少变成 h。"
            "**细胞状态** c = f·c + i·g：长期记忆。**隐藏状态** h = o·tanh(c)：传给下一行，读完第 28 行后用来给出答案。**p**：到这一行为止的判断。"),
        "panels_gru": (
            "**x**：像素行。**重置门** r：旧状态有多少参与计算候选值。**更新门** z：接近 1 保留旧状态，"
            "接近 0 用新内容替换。**候选值**：新内容（-1 到 1）。**隐藏状态** h = (1-z)·候选值 + z·h："
            "传给下一行，读完第 28 行后用来给出答案。**p**：到这一行为止的判断。"),
        "panels_rnn": "**x**：像素行。**隐藏状态** h = tanh(W·行 + U·h)：普通 RNN 唯一的记忆，每一行都被整个改写。"
                      "**p**：到这一行为止的判断。",
        "map_title": "### 记忆地图：你的数字一行一行走过的路径",
        "map_text": "每个模型把它的隐藏状态（{h} 个数）从一行传到下一行。这里用一个固定的投影把这些数压成两个，"
                    "只在 MNIST 上拟合一次（PCA 或 LDA，取在没见过的测试数字上把各个数字分得最开的那个；"
                    "`python memory_map.py`）。彩色的点是测试数字读完第 28 行后所在的位置，每个数字一种颜色、"
                    "一个标签：每个数字有自己的区域。折线是你的数字从第 1 行到第 28 行走过的路径（部分行标了行号，"
                    "最后一行是黑点）；虚线圆圈标出答案认定的那一行。",
        "map_panel": "**{cell}**：用 {method} 投影；{acc:.0%} 的留出测试数字最后落在自己数字的区域里。",
        "map_empty": "在手写页写一个数字，就能看到它在这张图上的路径。",
        "map_path": "在这张图上，你的 {top} 在第 {until} 行之前靠近 {past} 的区域，第 {turn} 行转向 {top} 的区域，之后一直在那里。",
        "map_stayed": "在这张图上，你的 {top} 从第 1 行到第 28 行一直靠近 {top} 的区域。",
        "map_elsewhere": "在这张图上，你的 {top} 最后离 {end} 的区域最近：两个维度装不下隐藏状态记住的全部内容。",
        "map_settled": "答案在**第 {row} 行**认定是 {top}（虚线圆圈处）。答案读的是整个隐藏状态，地图只显示它的两个方向，"
                       "所以路径到达 {top} 的区域可能在另一行。",
        "probe_maps_title": "探针数字在记忆里走过的路径：在你新训练的模型自己的地图上，以及在一个预训练模型的地图上",
        "map_yours": "你训练的 {cell}",
        "map_shipped": "预训练的 {cell}",
        "map_alt": "{cell} 的记忆地图：十个数字区域，标着 0 到 9，以及你的数字从第 1 行到第 28 行的路径。",
        "decided_title": "### 是哪几行决定了答案",
        "decided_text": "把你写的数字逐行抹掉，每次让每个模型重新读一遍：横条表示它的答案的概率下降（红）或上升（蓝）了多少。"
                        "横条长的行，就是答案所依靠的行。空白的行不会带来任何变化。",
        "decided_alt": "你写的数字的每一行，以及每个模型在每一行上的横条：抹掉这一行后，答案的概率变化了多少。",
        "decided_rows": "{cell} 的答案（{top}）依靠{rows}，在数字的{where}。",
        "decided_panel": "{cell}：{top}",
        "decided_order": "屏幕较窄时面板不加标题：x 之后从左到右依次是 {panels}。",
        "decided_scale": "每个面板用同样的刻度：整条横条代表 {points:.0%} 的概率（红：抹掉这一行使答案的概率下降；蓝：使它上升）。",
        "rows_one": "第 {rows} 行",
        "rows_many": "第 {rows} 行",
        "decided_none": "没有哪一行单独决定 {cell} 的答案（{top}）：抹掉任何一行，概率的下降都不到 {points} 个百分点。",
        "where_top": "上部",
        "where_middle": "中部",
        "where_bottom": "下部",
        "memory_title": "### 它能记多久",
        "memory_text": "改动你写的数字中的一行，看这个改动在之后每一行的状态里还剩多少（相对于改动那一行，1 = 全部保留）。"
                       "普通 RNN 每一行都会改写整个状态；LSTM 只通过门来改动它的细胞状态 c。",
        "memory_row": "要改动的行",
        "memory_change": "改动方式",
        "invert": "反色",
        "blank": "抹掉",
        "memory_plot": "改动在状态中还剩多少",
        "legend_state": "状态",
        "memory_caption": "你改动了第 {row} 行。到第 28 行，这个改动在各状态中还剩这么多（100% = 全部）：",
        "memory_kept": "- {cell} 的 {state}：**{share:.0%}**",
        "memory_grew": "超过 100%：这个改动在往下传的过程中变大了，到第 28 行，这样的状态的差别比你改动的那一行还大。",
        "memory_above": "在这个数字上，没有门守护的 {cell} 的 h 保留的改动比每个带门单元的 h 都多：这不是教科书里的情形（教科书里靠门来保留）。",
        "memory_below": "在这个数字上，没有门守护的 {cell} 的 h 保留的改动比每个带门单元的 h 都少：这正是教科书里的情形（靠门来保留）。",
        "memory_between": "在这个数字上，{most} 的 h 保留的改动最多，{least} 的 h 最少；没有门守护的 {cell} 的 h 比一个带门单元多、比另一个少。",
        "memory_nothing": "第 {row} 行是空白的，抹掉它不会有任何改变：试试反色，或者选一行有笔画的。",
        "grad_title": "### 误差信号有多少能传回到第 t 行",
        "grad_text": "训练通过传到每一行的误差信号 dL/dh_t（L 是损失）来修正这一行。每条线是第 t 行的信号相对于第 28 行的大小"
                     "（对数刻度）：它在右端从 0 开始，往左下降得越陡，往回传时丢失的就越多。"
                     "左图：你写的数字，以各模型自己的答案为目标。右图：{n} 个 MNIST 测试数字。",
        "grad_caption": "在 MNIST 测试集的前 {n} 个数字上测得：对每个数字，第 1 行的误差信号是第 28 行的多少，"
                        "再按图中的对数刻度取平均。各单元的结果：",
        "grad_above": "这里没有门的 {cell} 保住的误差信号比每个带门的单元都多：这不是教科书里的情形（教科书里靠门来保住它）。",
        "grad_below": "这里没有门的 {cell} 保住的误差信号比每个带门的单元都少：这正是教科书里的情形（靠门来保住它）。",
        "grad_between": "这里 {most} 保住的误差信号最多，{least} 最少；没有门的 {cell} 比一个带门的单元多、比另一个少。",
        "grad_short": "所以这 28 行并没有显示笔记里的说法（普通 RNN 的误差信号在长序列上会消失，而 LSTM 的细胞状态能把"
                      "它传下去）：这里 {cell} 损失的误差信号并不比每个带门的单元都多。28 行是一个短序列。",
        "grad_long": "训练页的“长记忆”实验在这个说法所说的情形下检验它：先是数字，然后是 {blank} 行空白，网络要把数字"
                     "带过这些空白行才回答。在本应用中用 {seeds} 个随机种子测得，各训练一轮（平均值 ± 极差的一半）："
                     "{gated} 在 MNIST 测试集上认对 **{gated_acc:.0%}** ± {gated_acc_spread:.0%}，{plain} 认对 "
                     "**{plain_acc:.0%}** ± {plain_acc_spread:.0%}；第 1 行的误差信号相对于最后一行，{gated} 是 "
                     "**{gated_decades:+.1f}** ± {gated_spread:.1f}，{plain} 是 **{plain_decades:+.1f}** ± "
                     "{plain_spread:.1f}。",
        "grad_long_held": "在那里笔记的说法成立：状态由门守护的 {gated} 把更多误差信号带过了空白行，也认对了更多数字。",
        "grad_long_not": "在那里笔记的说法并不同时成立：{gated} 并没有既在第 1 行保住更多误差信号、又认对更多数字。",
        "grad_no_mnist": "测试数字的曲线需要 MNIST 测试集，但这里无法加载它。",
        "grad_fall": "- {cell}：**{share}**（在图的对数刻度上是 {decades:+.2f}，与表中一致）",
        "grad_digit": "你写的数字",
        "grad_test": "{n} 个测试数字",
        "row": "行",
        "memory_y": "改动还剩多少",
        "grad_y": "剩下的误差信号（log10；0 = 全部）",
        "cell": "循环单元",
        "hidden": "隐藏单元数",
        "lr": "学习率（Adam）",
        "batch": "批大小",
        "epochs": "训练轮数",
        "train_size": "训练图片数",
        "seed": "随机种子",
        "augment": "数据增强（随机仿射变换、笔画粗细）",
        "train": "开始训练",
        "stop": "停止",
        "train_intro": "默认设置就是原程序的配置：{cell}({input}→{hidden}) → Linear({hidden}→{classes})，Adam 学习率 "
                       "{lr:g}，批大小 {batch}，训练 {epochs} 轮。点“开始训练”看它学习；“停止”会保留到那时为止学到的东西。",
        "estimate": "{steps:,} 步，每步 {batch} 张图片：在这台服务器上现在约需 {seconds:.0f} 秒。",
        "exp_time": "{runs} 次训练，约 {seconds:.0f} 秒",
        "settings": "设置",
        "loss_plot": "训练损失（平滑后）",
        "acc_plot": "测试准确率（前 {eval_size:,} 个测试数字）",
        "grad_plot": "传回到每一行的误差信号，相对于最后一行（最近一次检查）",
        "images_seen": "已训练图片数",
        "loss": "损失",
        "test_accuracy": "测试准确率",
        "probe_alt": "探针数字的每一行、每行之后的隐藏状态和每行之后的判断。",
        "confusion": "混淆矩阵：行是真实数字，列是网络识别的结果",
        "probe_title": "#### 一个探针数字：网络在学习过程中如何读它（布局与手写页相同）",
        "end_title": "#### {run} 训练结束时：混淆矩阵和认错的数字（完整的 {total:,} 张测试集）",
        "mistakes": "认错的数字：真实 → 识别",
        "use": "在手写页使用这个模型",
        "download": "下载训练好的模型（safetensors + JSON 配置）",
        "status": "**{run}** · 第 {step:,} 步，共 {total:,} 步 · 第 {epoch} 轮 · 损失 {loss:.3f} · 每秒 {sps:,.0f} 张 "
                  "· 约剩 {eta:.0f} 秒",
        "starting": "**{run}** · 正在开始……",
        "stopping": "**{run}** · 这一步结束后停止……",
        "done": "### 完成：完整 MNIST 测试集准确率 {acc:.2%}（{total:,} 个数字中认错 {wrong:,} 个）· {run}",
        "stopped": "### 已停止：完整 MNIST 测试集准确率 {acc:.2%}（{total:,} 个数字中认错 {wrong:,} 个）· {run}",
        "next_run": "**{run}**：完整 MNIST 测试集准确率 {acc:.2%}。下一次训练即将开始……",
        "earlier_run": "**{run}**：完整 MNIST 测试集准确率 {acc:.2%}。",
        "left_line": "你已离开队列，没有进行训练。",
        "probe_yours": "**你写的数字**（你说它是 **{a_target}**），这次训练中网络的识别：{strip}",
        "probe_unlabelled": "**你写的数字**（预训练的 {judge} 认为是 **{shipped}**），这次训练中网络的识别：{strip}\n\n"
                            "你还没有告诉它这是几，没有你的标签可以评判，所以这里不说认对与否：在手写页答案下方"
                            "（“不是 …？它是：”）告诉它，然后再训练一次。",
        "probe_test": "**测试数字 #0**（是 **{a_target}**），这次训练中网络的识别：{strip}",
        "probe_right": "✓ 训练了 {images:,} 张图片后第一次认对。",
        "experiments_title": "#### 一键实验",
        "exp_cells": "RNN 对比 LSTM，同样的配置",
        "exp_cells_look": "先用原程序的配置（Adam {lr:g}，训练 {epochs} 轮）训练普通 RNN，再训练 LSTM。RNN 爬到大约一半正确率又滑落下来，"
                          "远低于 LSTM；梯度图上，它传回顶部几行的误差信号更少（线的左端更低）。",
        "exp_lr": "三种学习率",
        "exp_lr_look": "LSTM 分别用 {lr1:g}、{lr2:g} 和 {lr3:g}。太大时损失上下乱跳、停滞不前；太小时下降缓慢；中间那个学得最快。",
        "exp_memory": "小记忆对比正常记忆",
        "exp_memory_look": "先用 {hidden_size1} 个隐藏单元，再用 {hidden_size2} 个。只有 {hidden_size1} 个数能从一行传到下一行，LSTM 仍然能学，但最后低了好几个百分点。",
        "exp_long": "长记忆：RNN 对比 LSTM",
        "exp_long_look": "笔记里的情形：先是数字，然后是 {blank_rows1} 行空白，最后才回答，网络必须把数字带过这些空白行。"
                         "先训练普通 RNN，再训练 LSTM，各一轮（Adam {lr1:g}，梯度范数裁剪到 {clip1}，LSTM 的遗忘门一开始"
                         "就是打开的：偏置 {keeper_bias1}）。笔记说 RNN 的误差信号在穿过空白行传回时会衰减，而 LSTM 的"
                         "细胞状态能把它带过去。梯度图上第 1-28 行是数字：线的左端越低，传到数字的误差信号越少。训练结束"
                         "后，这里会说出这次测到了什么。",
        "long_run": "- {cell}：测试集认对 **{acc:.1%}**；第 1 行（数字最上面一行）的误差信号相对于最后一行：在图的对数"
                    "刻度上是 **{decades:+.1f}**",
        "long_held": "{gated} 在测试集上比 {plain} 多认对 **{points:.0f}** 个百分点，传到第 1 行的误差信号多 **{decades:.1f}** "
                     "个数量级：这正是笔记所说的，在这次实验中看到了。",
        "long_not": "这次实验没有同时显示笔记的说法：与 {plain} 相比，{gated} 的准确率相差 **{points:+.0f}** 个百分点，第 1 "
                    "行的误差信号相差 **{decades:+.1f}** 个数量级。",
        "use_long": "这个模型在读完 {rows} 行（数字，再加 {blank} 行空白）之后回答；手写页只读 28 行。请训练一个不加空白行"
                    "的模型，再用它读你写的数字。",
        "clear_runs": "清空图表",
        "nothing_training": "当前没有在训练。",
        "train_first": "请先训练一个模型。",
        "train_failed": "训练失败：{error}",
        "no_mnist": "训练需要 MNIST 数字，但这台服务器无法加载它们。",
        "bad_numbers": "训练设置必须是数字：{error}",
        "bad_cell": "循环单元必须是 {cells} 之一，而不是 {cell!r}。",
        "bad_lr": "学习率必须在 0 到 1 之间。",
        "img_unreadable": "{name} 不是我们能读取的图片文件（PNG、JPEG、WebP、GIF、BMP 或 TIFF）。",
        "img_bytes_unreadable": "发送的内容不是我们能读取的图片文件（PNG、JPEG、WebP、GIF、BMP 或 TIFF）。",
        "img_too_big": "图片是 {w}x{h} 像素；每边最多 {side} 像素。",
        "img_too_many_pixels": "图片超过 {pixels:,} 像素；每边最多 {side} 像素。",
        "img_ragged": "需要一张图片，收到的却是长短不一的数字列表。",
        "img_not_numbers": "需要由数字组成的图片，收到的是 {dtype} 类型的 {kind}。",
        "img_shape": "图片的形状应为 (高, 宽)，带 1-4 个通道，收到的是 {shape}。",
        "img_sketch_keys": "画板的值需要 'background'、'layers' 或 'composite'，收到的键是 {keys}。",
        "img_sketch_layers": "画板值的 'layers' 必须是图片列表，而不是 {kind}。",
        "not_uploaded": "请把图片作为文件上传（gradio_client：handle_file(path)）；只读取上传到本应用的文件。",
        "not_a_file": "图片必须是文件：请用 gradio_client 的 handle_file(path) 发送；收到的是 {value}。",
        "bad_choice": "模型必须是 {choices} 之一；收到的是 {value}。",
        "train_waiting": "⏳ 正在排队：第 {position} 位，共 {size} 位，约 {seconds} 秒后轮到你。这台服务器一次只训练一个模型；前面的训练结束后就轮到你。",
        "busy_event": "⏳ 你的上一个同类请求还在等待回答（每位访客一次一个）：请等它完成后再试。",
        "busy_address": "⏳ 来自你的网络的同类请求太多，都还在等待回答：请几秒后再试。",
        "new_sessions": "⏳ 最近一分钟来自你的网络的新访问太多：请一分钟后再试。",
        "no_such_event": "没有这个事件：fn_index 必须是本应用的事件之一（0 到 {last}）。",
        "bad_row": "行号必须是 1 到 28 之间的数字。",
        "train_queue_full": "⏳ 训练队列已满。请大约 {minutes} 分钟后再试。",
        "train_yours": "你已经有一个训练在进行或在排队（每位访客一次一个）：请先停止它，或大约 {minutes} 分钟后再试。",
        "too_large": "请求太大：最多 {mb} MB。",
        "url_too_long": "地址太长：最多 {n:,} 个字符。",
        # The guided lesson (ui/lesson.py, ui/js/on_lesson.js)
        "lesson_start": "🎓 跟着课程走（{n} 步）",
        "lesson_count": "课程 · 第 {n} 步，共 {total} 步",
        "lesson_close": "关闭课程",
        "lesson_fold": "▾ 收起",
        "lesson_unfold": "▴ 展开",
        "lesson_back": "← 上一步",
        "lesson_next": "下一步 →",
        "lesson_finish": "完成",
        "lesson_check": "核对",
        "lesson_draw_first": "先在「手写」页写一个数字（或选一个示例）：问题都关于你写的数字。",
        "lesson_refused": "⚠️ 这个链接带有应用不认识或不允许的字段（{fields}），所以按普通方式打开。",
        "lesson_right": "✓ **答对了**：{truth}。{why}",
        "lesson_wrong": "✗ **这次没猜中**：答案是「{truth}」。{why}",
        "lesson_tally": "你预测对了 **{asked} 题中的 {right} 题**。",
        "lesson_answers": "这个数字的问题和正确答案",
        "lesson_col_question": "问题",
        "lesson_col_yours": "你的答案",
        "lesson_col_truth": "正确答案",
        "lesson_rows_title": "每一步读一行",
        "lesson_rows_body": "网络从不一次看到整个数字。每一步它从上到下读**一行 28 个像素**，每读完一行就说出它目前的判断。",
        "lesson_q_settle": "LSTM 从第几行起一直保持它最终的答案？",
        "lesson_c_settle_early": "第 {early} 行之前",
        "lesson_c_settle_middle": "第 {early} 行起、第 {late} 行之前",
        "lesson_c_settle_late": "第 {late} 行或更晚",
        "lesson_why_settle_early": "判断曲线显示 {top} 从第 {row} 行起领先：数字的上半部分就够了。",
        "lesson_why_settle_middle": "判断曲线显示 {top} 从第 {row} 行起领先，读完中间部分之后。",
        "lesson_why_settle_late": "判断曲线显示 {top} 直到第 {row} 行才领先：是最下面几行决定的。",
        "lesson_state_title": "同一组权重，加上记忆",
        "lesson_state_body": "每一行都经过**同一组权重**。把各行连起来的是**隐藏状态**：每行的状态由这一行和上一行的状态算出，所以它带着看过的内容。",
        "lesson_q_lean": "读到第 {row} 行（刚过一半）时，LSTM 已经倾向它最终的答案了吗？",
        "lesson_c_lean_yes": "是",
        "lesson_c_lean_no": "否",
        "lesson_why_lean_yes": "在第 {row} 行它已经以 {lean} 领先，正是它最后的答案。",
        "lesson_why_lean_no": "在第 {row} 行领先的是 {lean}；后来状态改变了主意，变成 {top}。",
        "lesson_decided_title": "哪些行决定了答案",
        "lesson_decided_body": "把一行涂空再读一遍：条形显示少了每一行会让答案损失多少。",
        "lesson_q_blank": "把最重要的那一行涂空，LSTM 会改变答案吗？",
        "lesson_c_blank_yes": "会，答案变了",
        "lesson_c_blank_no": "不会，答案不变",
        "lesson_why_blank_yes": "少了第 {row} 行，它读成 {after} 而不是 {top}：答案就靠这一行。",
        "lesson_why_blank_no": "少了第 {row} 行，它仍读成 {top}：其他行保留了足够的信息。",
        "lesson_why_blank_none": "没有哪一行单独决定它：抹掉任何一行，{top} 的概率下降都不到 {points} 个百分点，所以它仍读成 {top}。",
        "lesson_plain_title": "没有门的循环单元",
        "lesson_plain_body": "普通 RNN 没有门：每一行它都用这一行和之前的 h 重新算出整个状态 h。这里它在读你的数字；"
                             "它的 p 带显示它每读完一行时倾向哪个数字。",
        "lesson_q_rnn_lean": "读到第 {row} 行时，普通 RNN 已经倾向它最后给出的数字了吗？",
        "lesson_c_rnn_lean_yes": "是",
        "lesson_c_rnn_lean_no": "否",
        "lesson_why_rnn_lean_yes": "在第 {row} 行它以 {lean} 领先，这就是它最后的答案；从第 {settled} 行起它一直保持到最后。",
        "lesson_why_rnn_lean_no": "在第 {row} 行领先的是 {lean}；它最后的答案 {top} 来自后面的行。",
        "lesson_gates_title": "LSTM 的门",
        "lesson_gates_body": "LSTM 还有第二个状态 **c**。**遗忘门**决定每一行保留多少 c，**输入门**决定把多少新的一行写进去。",
        "lesson_q_forget": "遗忘门在哪里最低，丢掉最多已保留的内容？",
        "lesson_c_forget_top": "第 1 到 {top} 行",
        "lesson_c_forget_lower": "更靠下的行",
        "lesson_why_forget_top": "它在第 {row} 行最低（{value:.2f}），靠近顶部：在那里它清掉了 c 的大部分。",
        "lesson_why_forget_lower": "它在第 {row} 行最低（{value:.2f}）：在那里它清掉了 c 的大部分，为这一行的内容腾出位置。",
        "lesson_error_title": "误差信号",
        "lesson_error_body": "训练时误差从第 28 行穿过每一行往回传。图表显示有多少误差到达每一行：误差消失的地方，前面的行就学不到东西。",
        "lesson_q_error": "在你写的数字的第 {row} 行，哪个保留的误差信号更多：{plain} 还是 {gated}？",
        "lesson_c_error_plain": "{plain}",
        "lesson_c_error_gated": "{gated}",
        "lesson_why_error_plain": "在第 {row} 行，{plain} 保留了 {plain_share:.1%}（图上 {plain_log:+.2f}），{gated} 保留了 "
                                  "{gated_share:.1%}（{gated_log:+.2f}）：只有 28 行时，{plain} 的信号并没有消失得更快。",
        "lesson_why_error_gated": "在第 {row} 行，{gated} 保留了 {gated_share:.1%}（图上 {gated_log:+.2f}），{plain} 保留了 "
                                  "{plain_share:.1%}（{plain_log:+.2f}）：在你写的数字上，{gated} 的细胞状态把更多误差传了回去。",
        "lesson_train_title": "自己训练一个",
        "lesson_train_body": "新网络从随机权重开始，一批一批地从 MNIST 的图片中学习。图表旁边是**你写的数字**，以及它每次检查时怎样读。",
        "lesson_q_trained": "用初始设置按「开始训练」（一个新的 {cell}）。训练 {images:,} 张图片后，它会像预训练的 {cell} 一样"
                            "把你写的数字读成 {top} 吗？",
        "lesson_c_trained_yes": "会",
        "lesson_c_trained_no": "还不会",
        "lesson_why_trained_yes": "训练 {images:,} 张图片后，新的 {cell} 把它读成 {read}，和预训练的一样。",
        "lesson_why_trained_no": "训练 {images:,} 张图片后，新的 {cell} 把它读成 {read}，还没有像预训练的那样读成 {top}。",
        "lesson_wait_train": "现在按「**开始训练**」：训练到 {images:,} 张图片的那次检查时就有答案。",
    },
}


def text(key: str, lang: str = "en", **values) -> str:
    """The text for `key` in `lang` (English when the language is unknown), with `values` filled in."""
    return TEXTS.get(lang, TEXTS["en"])[key].format(**values)


def template(key: str, lang: str = "en") -> str:
    """The text for `key` in `lang` as a template, its {placeholders} left for the page to fill in (ui/js/texts.js)."""
    return TEXTS.get(lang, TEXTS["en"])[key]


def language(accept_language: str | None) -> str:
    """The first supported language in an Accept-Language header, else English."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in TEXTS:
            return code
    return "en"
