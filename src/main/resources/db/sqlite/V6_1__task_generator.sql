UPDATE tasks SET generator = COALESCE(json_extract(spec, '$.generator'), '');
