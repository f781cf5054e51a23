import { FACE_API_MODEL_ID, type BenchReport } from '../shared/bench-report'
import {
  accuracyTables,
  batchingSpeedups,
  beyondFerTables,
  detectionTable,
  detectTable,
  galleryTable,
  modelName,
  num,
  optionsTable,
  pct,
  quantizationTable,
  sessionLibraryTable,
  speedTable,
  studyTables,
  type ReportTable
} from '../shared/bench-tables'
import { closeUpTable, liveGalleryTable } from '../shared/live-gallery-report'
import { bestOnSmallFaces, callConditionsTable } from '../shared/call-conditions-report'

export { ms, pct } from '../shared/bench-tables'

/** A GitHub-flavoured Markdown table; cells are escaped so a `|` or a newline in an error message cannot break it. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number): string => String(v).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
  const lines = [`| ${headers.map(cell).join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`]
  for (const row of rows) {
    if (row.length !== headers.length) throw new Error(`table row has ${row.length} cells, header has ${headers.length}`)
    lines.push(`| ${row.map(cell).join(' | ')} |`)
  }
  return lines.join('\n')
}

function section(table: ReportTable | null, heading: string, ...prose: string[]): string {
  if (!table) return ''
  return [`${heading} ${table.title}`, '', ...prose.flatMap((p) => [p, '']), markdownTable(table.headers, table.rows), ''].join('\n')
}

/** The Beyond FER2013 part: real faces as crops and through the detector, with calibration. */
function beyondFerSection(report: BenchReport): string {
  const b = report.beyondFer
  if (!b) return ''
  const [overview, ...details] = beyondFerTables(report)
  const skipped = b.skipped.length > 0 ? ['Not measured:', '', ...b.skipped.map((s) => `- ${s}`), ''].join('\n') : ''
  if (!overview) return ['## Beyond FER2013: real faces', '', 'No real-face set was measured in this run.', '', skipped].join('\n')
  return [
    `## ${overview.title}`,
    '',
    "FER2013 accuracy does not carry to the people in a call, so every model is also scored on faces that are not FER2013's. CK+48 (posed, 48x48) and muxspace (faces in the wild, 96x96) are ready-made face crops: each image is classified whole, resampled to the model's input by the app's own crop code (src/shared/face-crop.ts), the way the app would; face-api gets them enlarged to its 112x112 input. Photos go through the app's path: TinyFaceDetector with the app's settings, the largest face (in a group photo, the labelled person's), the app's FER2013-style crop; a photo whose face is missed counts as wrong. `photos: e2e` are the face-api demo photos the e2e suites cut their three faces from, each scored on that face (labelled by eye). ECE is the expected calibration error of the top probability over 15 equal bins, of what the app answers (a card's temperature included), over the faces found; 'without temperature' undoes the card's temperature. A recall of '—' means the set has no image of that class.",
    '',
    markdownTable(overview.headers, overview.rows),
    '',
    ...details.map((t) => section(t, '###')),
    skipped
  ].join('\n')
}

/** The Markdown report (docs/benchmarks.md): the study's two tables next to ours, then every measurement in detail. */
export function renderMarkdown(report: BenchReport): string {
  const m = report.machine
  const [table1, table2] = studyTables(report)
  const detect = detectTable(report)
  const speedups = batchingSpeedups(report)
  const parts = [
    '# Benchmarks: our models vs the study and face-api',
    '',
    `Generated ${report.generatedAt} by \`${report.command}\`${report.quick ? ' (**quick** subset: for CI, not for conclusions)' : ''} in ${num(report.seconds, 0)} s.`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${num(m.memoryGb, 0)} GB, ${m.platform}/${m.arch}; Node ${m.node}, onnxruntime-node ${m.onnxruntime}, face-api ${m.faceApi} on TF.js ${m.tfjs} (${m.tfjsBackend}).`,
    '',
    // One quote block per note: consecutive quote lines would merge into one paragraph.
    ...report.caveats.flatMap((c) => [`> **Note:** ${c}`, '']),
    '## The study, side by side',
    '',
    "The study (shared/study/README.md) reports ResNet50 57.7 % and ViT ~42 % FER2013 test accuracy, and 136.33 ms/image (ResNet50, TensorFlow) vs 11.48 ms/image (ViT, PyTorch on a GPU). Our numbers are measured on this machine. face-api's FaceExpressionNet is the reference peer: it was not trained on FER2013, takes 112x112 RGB, and we feed it the 48x48 gray faces enlarged to 112x112 with the gray value in R, G and B; its classes map to ours (disgusted→disgust, fearful→fear, surprised→surprise).",
    '',
    section(table1, '###'),
    section(table2, '###'),
    '## Accuracy in detail',
    '',
    "Overall accuracy, macro-F1 (mean of the 7 classes' F1, as training/metrics.py defines it) and recall per class, through the app's own inference code (src/main/inference/inference.ts, CPU). Confusion matrices are in the charts below and in report.json. The bench decodes the JPEGs with a pure-JS decoder, which can differ from PIL's libjpeg by a grey level here and there, so a model's accuracy may differ from its card (training/evaluate.py, Python onnxruntime) by an image or two.",
    '',
    ...accuracyTables(report).map((t) => section(t, '###')),
    beyondFerSection(report),
    section(
      detect,
      '##',
      `Faces found with face-api's ${report.detectAccuracy[0]?.detector === 'ssd' ? 'SSD MobileNetV1' : 'TinyFaceDetector'} (the app's settings); the largest face of a photo is classified; a photo whose face is missed counts as wrong.`
    ),
    section(
      speedTable(report),
      '##',
      'Every provider onnxruntime-node lists on this platform was tried with every model, each in a fresh process (so peak RSS is that model alone). ms per face = batch wall time / batch size, including the card preprocessing and softmax, as the app runs it; median and p95 after warm-up.',
      report.providers
        .map(
          (p) =>
            `- \`${p.provider}\`${p.bundled ? '' : ' (not bundled in the npm package)'}: ${p.ok ? 'works' : `**failed**: ${(p.error ?? '').replace(/\r?\n/g, ' ')}`}`
        )
        .join('\n')
    ),
    section(
      detectionTable(report),
      '##',
      "Frames of the synthetic 3x3 gallery (below) at each size. TinyFaceDetector with the app's default input size 416; SSD MobileNetV1 with face-api's defaults."
    ),
    section(
      galleryTable(report),
      '##',
      `A synthetic ${report.gallery[0]?.width}x${report.gallery[0]?.height} video of a 3x3 call gallery made from the real people in face-api's demo photos (portrait crops that drift a little from frame to frame). Per frame: TinyFaceDetector → square FER-style crops → one classification batch, as the app does it, on CPU.`
    ),
    section(
      liveGalleryTable(report.liveGallery),
      '##',
      `Synthetic call galleries made from the people in face-api's demo photos that move: each person sways, shifts and turns (the face narrows by up to a quarter), and one leaves for the middle third of the run while someone else takes the tile afterwards. Each pipeline plays the same frames in this process through the app's FrameScheduler (detection of a frame may run while the one before is labelled; of the frames that arrive while detection is busy, the newest is detected as soon as it is free and the others are dropped): "30 fps, real time" offers each frame at its capture time as a camera would (latency from capture to labels); "every frame" offers each frame as soon as the scheduler takes one (CPU per frame and faces found regardless of how busy the machine is; latency from the offer to the labels). CPU ms / frame counts every thread of the process (TF.js, onnxruntime, the detection worker). The first half second (start-up) is not counted. The app's pipeline is the live loop's: detect-then-track in a worker thread, as the renderer runs it in its detection worker (so its detection really overlaps the labelling on the main thread; the other pipelines run on one thread), working on the frame's bytes as the app's worker works on its frame bitmap (a tensor only of each region it searches or scans); faces followed by their pixels between detector looks (full scans wait while nothing changes away from the faces, and where something does, the detector first looks at that change alone, one small pass); each face classified at most ten times a second, and less often where the model would otherwise take more than a quarter of the time (the app's budget, from the model's measured time per face), keeping its smoothed label (300 ms) on the frames between; a frame does not wait for the classifier's answer (one call in flight, as the app's frames do not wait for main's), so its latency is the boxes' and the labels are those known when it is drawn; labels/s counts the labels drawn. Every pipeline cuts our models' crops from the frame's bytes, as the app cuts them from its canvas. The earlier pipelines and face-api's classify every face on every frame.`
    ),
    section(
      callConditionsTable(report.callConditions),
      '##',
      "Each labelled face as a video call shows it: shrunk (area averaging) so its detector box is 40, 70 or 100 px, at a known spot of a 384x216 call tile (a 3x3 gallery's tile at 1152x648) over a real background (face-api's demo photos, blurred as a call's background blur does), then JPEG-compressed at quality 55 and decoded (jpeg-js). A CK+48 / muxspace crop is placed by the app's FER2013 framing inverted; a photo's face is the largest the app's camera scan finds. Our models: the app's scan of a frame this size (whole at 416 plus the close-up pass at 160), each model's card crop, the model; face-api: its own TinyFaceDetector pass, its own crop (the box) and its net. Each cell: accuracy / macro-F1 (faces found at the spot / images); a face not found is a wrong answer.",
      (() => {
        const best = bestOnSmallFaces(report.callConditions ?? [], [70, 100], [FACE_API_MODEL_ID])
        return best ? `Best of ours on small faces (mean of accuracy and macro-F1 over the val rows at 70 and 100 px): \`${best.model}\` (${(best.score * 100).toFixed(1)} %).` : ''
      })()
    ),
    section(
      closeUpTable(report.closeUps),
      '##',
      "Each face of face-api's demo photos cut so it fills half, 70 % or 85 % of a 640x480 frame's height (grey where the photo ends), as a person close to their webcam. Found: a box centred on the face. The app's webcam scan is the whole frame at its input size plus the whole frame at 160 px."
    ),
    section(
      optionsTable(report),
      '##',
      "Each row changes one setting from the app's default (graph optimisation `all`, onnxruntime's default thread count, batch of all faces in a frame) and is measured in a fresh process.",
      speedups.length > 0 ? `Batching: ms per face at batch 1 divided by batch 8 (CPU default settings): ${speedups.join(', ')}.` : ''
    ),
    section(
      sessionLibraryTable(report),
      '##',
      "The app's own session log and library (main's code, as the IPC handlers call it) over made-up logs in a temporary folder: an hour of a 3x3 gallery at ten labels a second per face (324,000 rows) among 1,000 sessions of 120 rows, with no index beside them, as an older version or a crash leaves them. The first list indexes every CSV once, streaming; after that list, open and name read the small index beside each CSV (open also reads the timeline file: at most 600 points a face); exports stream the CSV with names applied. A new library over the same folder stands for a restart of the app. Peak RSS is the whole bench process's."
    ),
    report.quantization.length > 0
      ? section(
          quantizationTable(report),
          '##',
          'Made by training/quantize.py (onnxruntime.quantization.quantize_static: QDQ, per-channel INT8 weights, activation scales calibrated on 512 FER2013 train images); chosen on FER2013 val only: a variant ships when its val accuracy is within 0.5 point of the float model.'
        )
      : '## INT8 static quantisation (CPU)\n\nNo quantisation record (docs/bench/quantization.json): run `.venv/bin/python training/quantize.py` to make INT8 variants; one ships only if its FER2013 val accuracy stays within 0.5 point of the float model.\n',
    report.trainingLogs.length > 0
      ? [
          '## Training',
          '',
          markdownTable(
            ['model', 'epochs', 'best val accuracy', 'at epoch'],
            report.trainingLogs.map((l) => [modelName(report, l.model), l.epochs, pct(l.bestValAccuracy), l.bestEpoch])
          ),
          ''
        ].join('\n')
      : '',
    report.charts.length > 0
      ? ['## Charts', '', ...report.charts.flatMap((c) => [`### ${c.title}`, '', `![${c.title}](${c.file})`, ''])].join('\n')
      : '',
    report.skipped.length > 0 ? ['## Not measured in this run', '', ...report.skipped.map((s) => `- ${s}`), ''].join('\n') : '',
    report.modelErrors.length > 0 ? ['## Model cards rejected', '', ...report.modelErrors.map((s) => `- ${s}`), ''].join('\n') : '',
    '## Reproduce',
    '',
    '```sh',
    'npm run bench                 # full run: FER2013 val + test, all providers, options; writes docs/benchmarks.md, docs/bench/',
    'npm run bench -- --quick      # a ~300-image subset and few timing iterations (CI); writes to a temp folder',
    'npm run bench -- --detect DIR # also: full-size photos in DIR/<class>/*.jpg through the face detector',
    'npm run bench -- --help',
    '```',
    ''
  ]
  // Sections end with their own blank line; collapse the doubles that joining them leaves.
  return `${parts
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`
}
