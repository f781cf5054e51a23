/**
 * Main's argument checks for every invoke channel, derived from the contract's schemas
 * (src/shared/ipc.ts): the generic handler wrapper (ipc-handlers.ts) runs validateArgs() before any
 * handler sees an argument. Only the checks that need main's own knowledge live here: that a
 * model exists and that crops match its input size.
 */
import * as v from 'valibot'
import { INVOKE_CHANNELS, INVOKE_CONTRACT, type Arg, type InvokeArgs, type InvokeChannel } from '../../shared/ipc'
import { AppError } from '../app/app-error'

/** What validation needs to know about the models that exist. */
export interface ValidationContext {
  /** The input size of a known model, or undefined when no model has that id. */
  modelInput(modelId: string): { width: number; height: number } | undefined
}

/** One validator per invoke channel: takes the raw arguments, returns them typed or throws AppError. */
export type Validators = { [K in InvokeChannel]: (args: readonly unknown[], context: ValidationContext) => InvokeArgs<K> }

/** Rejects an IPC argument with a clear message. */
function invalid(message: string): never {
  throw new AppError('invalid-argument', message)
}

// Names the field an issue is about, from the argument's name and the issue's path: request.faces[1].box.
function fieldName(root: string, path: readonly v.IssuePathItem[]): string {
  let name = root
  for (const item of path) name += typeof item.key === 'number' ? `[${item.key}]` : `.${String(item.key).slice(0, 40)}`
  return name
}

/** The one-line message of a schema issue: the field at fault, then what is wrong with it. */
function describeIssue(root: string, issue: v.BaseIssue<unknown>): string {
  const path = issue.path ?? []
  const last = path.at(-1)
  if (issue.type === 'strict_object' && last?.origin === 'key') {
    // Unknown keys are reported with their name, missing keys as a field.
    return issue.expected === 'never'
      ? `${fieldName(root, path.slice(0, -1))} has an unknown key "${String(last.key).slice(0, 40)}"`
      : `${fieldName(root, path)} is missing`
  }
  // Rules on a whole object or array may name a part of it: ".pixels has 3 values", "[1] is a hole".
  const glue = /^[.[]/.test(issue.message) ? '' : ' '
  return `${fieldName(root, path)}${glue}${issue.message}`
}

function parseArg(arg: Arg, value: unknown): unknown {
  // abortEarly: the first problem is the answer, and later checks never run on input that failed an earlier one.
  const result = v.safeParse(arg.schema, value, { abortEarly: true })
  if (!result.success) invalid(describeIssue(arg.name, result.issues[0]))
  return result.output
}

function knownModel(modelId: string, context: ValidationContext): { width: number; height: number } {
  const input = context.modelInput(modelId)
  if (!input) throw new AppError('unknown-model', `unknown model "${modelId}"`)
  return input
}

// Checks that need what main knows (the loaded model cards), after the schema passed.
const contextChecks: { [K in InvokeChannel]?: (args: InvokeArgs<K>, context: ValidationContext) => void } = {
  'inference:classify': ([request], context) => {
    const size = knownModel(request.modelId, context)
    request.faces.forEach((face, i) => {
      if (face.width !== size.width || face.height !== size.height) {
        invalid(`request.faces[${i}] is ${face.width}x${face.height}, the model takes ${size.width}x${size.height}`)
      }
    })
  },
  'session:start': ([options], context) => void knownModel(options.modelId, context)
}

/** Checks a channel's raw arguments against its contract entry; returns them typed or throws AppError. */
export function validateArgs<K extends InvokeChannel>(channel: K, args: readonly unknown[], context: ValidationContext): InvokeArgs<K> {
  const declared: readonly Arg[] = INVOKE_CONTRACT[channel].args
  if (!Array.isArray(args) || args.length !== declared.length) {
    invalid(`expected ${declared.length} argument(s), got ${Array.isArray(args) ? args.length : typeof args}`)
  }
  const valid = declared.map((arg, i) => parseArg(arg, args[i])) as InvokeArgs<K>
  const check = contextChecks[channel] as ((args: InvokeArgs<K>, context: ValidationContext) => void) | undefined
  check?.(valid, context)
  return valid
}

/** validateArgs for each channel, keyed by channel. */
export const validators = Object.fromEntries(
  INVOKE_CHANNELS.map((channel) => [channel, (args: readonly unknown[], context: ValidationContext) => validateArgs(channel, args, context)])
) as Validators
