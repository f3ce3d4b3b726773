-- How many articles did each category publish each month (articles without a date apart)?
-- Params: none.
WITH dated AS (
    SELECT coalesce(category, '(none)') AS category,
           strftime(date_trunc('month', published), '%Y-%m') AS month
    FROM articles
), final AS (
    SELECT category, coalesce(month, '(undated)') AS month, count(*) AS articles
    FROM dated GROUP BY ALL
)
SELECT * FROM final ORDER BY category, month
