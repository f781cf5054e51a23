import { errorMessage } from '../lib/error-message'

/** One problem shown in the error banner. */
export interface AppError {
  id: number
  /** What the app was doing ("Start session", "Classify faces"). */
  context: string
  message: string
  /** How often the same error repeated; a failing frame loop would otherwise flood the banner. */
  count: number
}

class ErrorState {
  list = $state<AppError[]>([])
  private nextId = 1

  /** Shows an error in the banner (and the console); repeats of the same one bump its count. */
  report(context: string, error: unknown): void {
    const message = errorMessage(error)
    const same = this.list.find((e) => e.context === context && e.message === message)
    if (same) {
      same.count++
      return
    }
    console.error(`[${context}]`, error)
    this.list.push({ id: this.nextId++, context, message, count: 1 })
  }

  /** Removes one error from the banner. */
  dismiss(id: number): void {
    this.list = this.list.filter((e) => e.id !== id)
  }
}

/** The app's visible error list; nothing that fails is swallowed. */
export const errors = new ErrorState()
