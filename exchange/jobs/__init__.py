"""Side effects and recurring work: the transactional outbox, its delivery, and the schedule."""
