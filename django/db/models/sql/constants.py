"""Constants shared by the query structure and its compilers."""

# Separator between the parts of a lookup path: ``headline__icontains``.
LOOKUP_SEP = "__"

# How many rows a chunked fetch asks the cursor for at a time.
GET_ITERATOR_CHUNK_SIZE = 100

# What SQLCompiler.execute_sql() hands back.
MULTI = "multi"  # an iterator over chunks of rows
SINGLE = "single"  # the first row, or None
CURSOR = "cursor"  # the open cursor (the caller closes it)
NO_RESULTS = "no results"  # nothing; the cursor is closed
ROW_COUNT = "row count"  # the number of rows the statement touched

# Sort directions: name -> (direction for standard order, reversed).
ORDER_DIR = {
    "ASC": ("ASC", "DESC"),
    "DESC": ("DESC", "ASC"),
}

# Join types (kept for relations, which later rounds add).
INNER = "INNER JOIN"
LOUTER = "LEFT OUTER JOIN"
