/** The datasets embedded in the repository (data/README.md): tests read these, never ../shared. */
import { fileURLToPath } from 'node:url';

export const DATA_DIR = fileURLToPath(new URL('../data', import.meta.url));
