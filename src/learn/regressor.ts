/** The interface every small-data learner in src/learn implements, so evaluation and the CLI treat them alike. */
import type { Mat } from '../core/matrix.ts';

export interface Regressor {
  readonly name: string;
  fit(X: Mat, y: Float64Array): this;
  predict(X: Mat): Float64Array;
  /** Fitted hyperparameters and diagnostics worth reporting. */
  summary(): Record<string, unknown>;
}
