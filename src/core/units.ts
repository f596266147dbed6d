/** Physical constants shared by several stages (Monte Carlo, force constants). CODATA 2018. */

/** Boltzmann constant in eV/K: k_B = 1.380649e-23 J/K (exact) / e = 1.602176634e-19 C (exact). */
export const KB_EV = 8.617333262e-5;
