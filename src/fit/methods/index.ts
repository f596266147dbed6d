/** Importing this module registers every fitting method. Add one import per method module. */
