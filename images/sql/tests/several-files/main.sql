.read schema.sql
SELECT 'Hello, ' || name || '!' FROM greetings;
