/** The report's types live in src/shared so the renderer's Compare view can read them too. */
export * from '../shared/bench-report'
