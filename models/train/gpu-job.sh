#!/bin/bash
# Train the reader and the detector together on a lent GPU machine (see README.md, "On a GPU machine").
#
#   models/train/gpu-job.sh start   launch both trainings in their own process sessions, then watch
#   models/train/gpu-job.sh watch   watch a running job (a later command on the same machine)
#
# The trainings run detached (setsid) so that they outlive one command's time limit; each watch copies the latest
# weights and logs to $OUT, so a job cut short still leaves its last checkpoint behind.  Environment: MINUTES
# (training budget, default 17), WATCH_S (how long this command watches, default 560), DATA (the data root with
# train/ and us-crops-dev/, default .gpu/data), ALPR_FONT_ROOT (default .gpu/fonts), READER_RESUME and
# DETECTOR_RESUME (weights to start from), READER_LR, DETECTOR_LR, REAL_SHARE and AUGMENT (train_reader.py's
# --real-share and --augment).
set -u
mode=${1:-watch}
root=$PWD
job=/tmp/alpr-job
out=${OUT:-/tmp/alpr-job-out}
mkdir -p "$out"
export ALPR_FONT_ROOT=${ALPR_FONT_ROOT:-$root/.gpu/fonts} PYTHONUNBUFFERED=1
data=$root/${DATA:-.gpu/data}
minutes=${MINUTES:-17}

if [ "$mode" = start ]; then
  mkdir -p $job/reader $job/detector
  nvidia-smi -L 2>/dev/null
  python3 -c "import torch, cv2, PIL; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())" || exit 1
  cd "$root/models/train"
  setsid nohup python3 train_reader.py --data "$data" --out $job/reader --minutes "$minutes" --device "${DEVICE:-cuda}" \
    --workers "${READER_WORKERS:-8}" --batch 256 --ring 300000 --reuse 16 --lr "${READER_LR:-2e-3}" \
    --real-share "${REAL_SHARE:-0.125}" --augment "${AUGMENT:-0}" \
    ${READER_RESUME:+--resume "$root/$READER_RESUME"} >$job/reader.log 2>&1 </dev/null &
  setsid nohup python3 train_detector.py --data "$data" --out $job/detector --minutes "$minutes" --device "${DEVICE:-cuda}" \
    --workers "${DETECTOR_WORKERS:-7}" --batch 64 --ring 20000 --reuse 8 --lr "${DETECTOR_LR:-2e-3}" \
    ${DETECTOR_RESUME:+--resume "$root/$DETECTOR_RESUME"} >$job/detector.log 2>&1 </dev/null &
  cd "$root"
  sleep 5
fi

running() { pgrep -f "train_(reader|detector).py" >/dev/null; }
collect() {
  for f in reader/last.npz reader/best.npz detector/last.npz reader/reader.json detector/detector.json; do
    [ -f $job/$f ] && cp $job/$f "$out/${f%%/*}-${f##*/}"
  done
  cp $job/reader.log $job/detector.log "$out/" 2>/dev/null
}
deadline=$((SECONDS + ${WATCH_S:-560}))
while [ $SECONDS -lt $deadline ] && running; do
  sleep 15
  collect
done
collect
echo "== reader"; grep -v Warning $job/reader.log | grep -v "_C._jit" | tail -6
echo "== detector"; grep -v Warning $job/detector.log | grep -v "_C._jit" | tail -6
running && echo "STILL RUNNING" || echo "DONE"
