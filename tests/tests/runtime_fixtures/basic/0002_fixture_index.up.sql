-- schema:no-transaction
CREATE INDEX fixture_a_id_idx ON fixture_a (id);
