"""Funding calls (issue 16): a catalog of EU, LEADER and national calls shared by the network, the
rules check of a project's plan against a call, the fit of projects and calls, and the deadlines."""
