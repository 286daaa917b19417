SELECT * FROM undefined_table;
