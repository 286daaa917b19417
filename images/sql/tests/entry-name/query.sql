SELECT 'entry name works';
