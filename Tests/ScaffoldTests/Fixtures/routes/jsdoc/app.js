const express = require('express');

const app = express();

/**
 * @openapi
 * /pets/{petId}:
 *   get:
 *     summary: Find a pet
 *     operationId: findPet
 *     parameters:
 *       - name: petId
 *         in: path
 *         required: true
 *         schema:
 *           type: integer
 *     responses:
 *       '200':
 *         description: The pet
 */
app.get('/pets/:petId', findPetHandler);

/**
 * Reports are queued by a worker, so no route registers them here.
 *
 * @swagger
 * /reports:
 *   post:
 *     summary: Queue a report
 *     responses:
 *       '202':
 *         description: Accepted
 * components:
 *   schemas:
 *     Pet:
 *       type: object
 *       properties:
 *         id:
 *           type: integer
 * @param {string} ignored not part of the block
 */

/**
 * @openapi
 * /broken: [unclosed
 */
