DROP TABLE fixture_a;
