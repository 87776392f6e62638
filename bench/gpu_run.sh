#!/usr/bin/env bash
# The GPU check, as one command on a lent GPU machine (no network): installs the carried wheels,
# then runs bench/gpu_check.py (one STILTs run in fp32, bf16 and fp16), the single-rank torchrun
# (NCCL) path, tests/test_train.py on the GPU, and bench/train_throughput.py --gpu (XLM-R large
# architecture, random weights, bf16). Needs the bundle of bench/gpu_bundle.py in .gpu/ (with the
# wheels in .gpu/whl). Results go to $OUT (or /tmp/gpu-out). STEPS=34 runs only steps 3 and 4.
set -u
cd "$(dirname "$0")/.."
O=${OUT:-/tmp/gpu-out}
mkdir -p "$O"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .gpu/whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD CLAIMLAB_DATA=$PWD/.gpu/data HF_HUB_OFFLINE=1 \
    HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1 \
    CLAIMLAB_CACHE=/tmp/claimlab-cache
{
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
    python3 -c "import sys, torch, transformers; print(sys.version.split()[0], torch.__version__,
transformers.__version__, torch.cuda.get_device_name(0))"
    nproc
} 2>&1 | tee "$O/env.txt"
STEPS=${STEPS:-1234}
if [[ $STEPS == *1* ]]; then
echo "== 1. one STILTs run, fp32 / bf16 / fp16"
timeout 180 python3 bench/gpu_check.py --bundle .gpu --precisions fp32,bf16,fp16 \
    --out "$O/check.jsonl" > "$O/check.log" 2>&1
tail -5 "$O/check.log"
fi
if [[ $STEPS == *2* ]]; then
echo "== 2. the same bf16 run under torchrun (one rank, NCCL)"
timeout 80 torchrun --standalone --nproc_per_node 1 bench/gpu_check.py --bundle .gpu \
    --precisions bf16 --out "$O/torchrun.jsonl" > "$O/torchrun.log" 2>&1
tail -3 "$O/torchrun.log"
fi
if [[ $STEPS == *3* ]]; then
echo "== 3. tests/test_train.py on the GPU (its data from the bundle)"
mkdir -p /work/shared && [ -e /work/shared/data ] || ln -s "$PWD/.gpu/data" /work/shared/data
timeout 60 python3 -m pytest -q -rfEs -p no:cacheprovider tests/test_train.py > "$O/pytest.log" 2>&1
tail -15 "$O/pytest.log"
fi
if [[ $STEPS == *4* ]]; then
echo "== 4. training throughput, XLM-R large architecture, bf16"
timeout ${TP_TIMEOUT:-200} python3 bench/train_throughput.py --gpu --tokenizer .gpu/e5-restricted \
    ${TP_ARGS:---examples 4096 --batch-size 32 --max-length 256} --json > "$O/throughput.json" 2> "$O/throughput.err"
tail -c 3000 "$O/throughput.json"; tail -5 "$O/throughput.err"
fi
