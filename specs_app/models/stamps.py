from django.db import models


class ChangeStamp(models.Model):
    """A token the database replaces whenever what a cached read is made of changes.

    Written only by triggers (migration 0015), in the same transaction as the change, so
    a reader that sees the new stamp sees the new data. The token is random rather than
    a count: a database rolled back or restored to an earlier state gets its old stamp
    back with its old data, and a later change never reuses a stamp seen before.
    """

    SPEC_LIST = "spec_list"

    name = models.CharField(max_length=40, primary_key=True)
    stamp = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"{self.name}: {self.stamp}"
