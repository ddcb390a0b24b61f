"""The reference point for `gptx bench train`: the same GPT-2 training step in PyTorch.

Same configs as TrainBench: `--config reference` (4 layers, 4 heads, width 64, context 64,
vocab 256, batch 16) or `--config large` (6 layers, 6 heads, width 192, context 128, vocab 1024,
batch 8); random tokens, pre-LayerNorm blocks, fused QKV, tanh-GELU MLP, tied unembedding,
AdamW with global-norm clipping. Prints the median ms/step of 20 steps after 3 warm-up steps.

    python3 scripts/bench/pytorch_train_step.py --threads 2 [--config large]

`gptx bench train --compare` runs it in turn with our own step and prints the ratio.

Needs `pip install torch numpy`; not used by the build or the tests.
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, C, H):
        super().__init__()
        self.H = H
        self.ln_1 = nn.LayerNorm(C)
        self.c_attn = nn.Linear(C, 3 * C)
        self.c_proj = nn.Linear(C, C)
        self.ln_2 = nn.LayerNorm(C)
        self.c_fc = nn.Linear(C, 4 * C)
        self.mlp_proj = nn.Linear(4 * C, C)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.H, C // self.H).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self, V, T, L, H, C):
        super().__init__()
        self.wte = nn.Embedding(V, C)
        self.wpe = nn.Embedding(T, C)
        self.h = nn.ModuleList(Block(C, H) for _ in range(L))
        self.ln_f = nn.LayerNorm(C)

    def forward(self, idx, targets):
        T = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(T))
        for block in self.h:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.t()
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--config", choices=["reference", "large"], default="reference")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    V, T, L, H, C, B = (256, 64, 4, 4, 64, 16) if args.config == "reference" else (1024, 128, 6, 6, 192, 8)
    model = GPT(V, T, L, H, C)
    decay = [p for p in model.parameters() if p.dim() == 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.95))
    idx = torch.randint(0, V, (B, T))
    targets = torch.randint(0, V, (B, T))
    times = []
    for i in range(3 + args.steps):
        start = time.perf_counter()
        loss = model(idx, targets)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if i >= 3:
            times.append(time.perf_counter() - start)
    ms = statistics.median(times) * 1000
    print(f"pytorch {torch.__version__}: {ms:.1f} ms/step (median of {args.steps}), "
          f"{B * T / (ms / 1000):.0f} tokens/s, {args.threads} threads, config {args.config}")


if __name__ == "__main__":
    main()
