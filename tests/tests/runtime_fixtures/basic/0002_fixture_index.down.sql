DROP INDEX fixture_a_id_idx;
