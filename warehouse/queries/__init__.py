"""Read queries behind the dashboard: short read-only connections, parameterised SQL, DataFrames out.

`filters` holds what an analyst narrows a view to and the WHERE clauses built from it; `series`
the counts over time and the top actors; `pairs` the actor × theme and actor × actor tables;
`drill` the sentences and articles behind a clicked point and one article in full; `listings`
plain lists (newest articles, ingest runs and files, discovered actors). The warehouse's status
(counts, last runs, rejected files) is `warehouse.status`.
"""
