/** Importing this module registers every fitting method. Add one import per method module. */
import './ridge.ts';
import './lasso.ts';
import '../l0/estimators.ts';
import './bayesian.ts';
import './group-lasso.ts';
import './constrained.ts';
import './greedy.ts';
import './huber.ts';
