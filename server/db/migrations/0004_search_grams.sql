-- Keyword search of one or two characters (a Chinese given name such as 王芳) yields no trigram,
-- so pg_trgm's indexes cannot serve it and it would scan the table. This function lists every
-- lower-cased one- and two-character substring of its arguments, each argument on its own (no
-- gram spans two fields); a GIN index over it answers "contains q" exactly for |q| <= 2.
CREATE OR REPLACE FUNCTION search_grams(VARIADIC parts text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT coalesce(array_agg(DISTINCT substr(lower(p), i, n)), '{}')
  FROM unnest(parts) AS p, generate_series(1, 2) AS n, generate_series(1, char_length(p) - n + 1) AS i
$$;
