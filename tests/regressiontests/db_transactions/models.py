# Raw-SQL tests: no models.
