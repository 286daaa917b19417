CREATE TABLE greetings (name TEXT);
INSERT INTO greetings VALUES ('files');
