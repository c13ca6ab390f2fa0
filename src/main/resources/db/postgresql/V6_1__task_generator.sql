UPDATE tasks SET generator = COALESCE(spec::jsonb ->> 'generator', '');
