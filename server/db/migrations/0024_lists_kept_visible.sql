-- Counts and pages read by index-only scans (my customers' count, the search postings) visit the
-- table for every page not marked all-visible. Releases end periods (HOT updates, which clear the
-- mark) and new customers add postings; autovacuum's defaults wait for a fifth of the table to
-- change, 360,000 periods or 4.6 million postings at a million customers. At these figures it
-- comes after about a day's releases or 20,000 new customers (issue 24: a busy consultant's count
-- took 7 ms with the heap visited 4,351 times, 1 ms once vacuumed).
ALTER TABLE "customer_distributions" SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);--> statement-breakpoint
ALTER TABLE "customer_grams" SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
